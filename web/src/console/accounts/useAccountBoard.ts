import type { AccountBoard, AccountGroup, AccountOptions, ErrorBody } from '@farmlive/shared';
import { ref } from 'vue';
import { ApiError, errorCode } from '../../api/client';
import { accountsApi, groupsApi } from '../api/accounts';

/** The board, the groups and what the server can connect, loaded together and reloaded after every change. */
export function useAccountBoard() {
  const board = ref<AccountBoard | null>(null);
  const groups = ref<AccountGroup[]>([]);
  const options = ref<AccountOptions | null>(null);
  const error = ref<Pick<ErrorBody, 'code' | 'details'> | null>(null);
  const loading = ref(false);

  async function load() {
    loading.value = true;
    try {
      const [b, g, o] = await Promise.all([accountsApi.board(), groupsApi.list(), accountsApi.options().catch(() => null)]);
      board.value = b;
      groups.value = g;
      options.value = o ?? options.value;
      error.value = null;
    } catch (err) {
      error.value = { code: errorCode(err), details: err instanceof ApiError ? err.details : undefined };
    } finally {
      loading.value = false;
    }
  }

  return { board, groups, options, error, loading, load };
}
