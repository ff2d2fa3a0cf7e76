import { StoryIssueSchema, type ErrorBody, type Story, type StoryIssue, type StoryPreview } from '@farmlive/shared';
import { z } from 'zod';
import { computed, onUnmounted, ref, watch } from 'vue';
import { ApiError, errorCode } from '../../api/client';
import { mediaApi } from '../api/media';
import { storiesApi } from '../api/stories';
import { emptyForm, formFromStory, formToInput, toStoryImage, type StoryForm, type StoryImage } from './story-form';

type Problem = Pick<ErrorBody, 'code' | 'details'>;
const problem = (err: unknown): Problem => ({ code: errorCode(err), details: err instanceof ApiError ? err.details : undefined });

/**
 * What a page hands to the next one for the same story: the console's view is keyed by path, so
 * a new story's editor is replaced by a fresh one when its URL gains the story's id. A refusal
 * (submitting a new story that breaks a limit) must survive that, or the editor would not see why.
 */
const handoff = new Map<string, { error: Problem; issues: StoryIssue[] }>();

/** How long typing must pause before the previews are asked for again. */
const PREVIEW_DEBOUNCE_MS = 700;

/**
 * One story being edited: loading, the form, saving (create, then patch), the live per-platform
 * preview of the unsaved form (debounced; a late answer never replaces a newer one), submitting
 * for review (the limits the server finds are shown as issues) and withdrawing.
 */
export function useStoryEditor(word: () => string) {
  const story = ref<Story | null>(null);
  const form = ref<StoryForm>(emptyForm());
  const saved = ref(JSON.stringify(formToInput(form.value)));
  const dirty = computed(() => JSON.stringify(formToInput(form.value)) !== saved.value);
  const error = ref<Problem | null>(null);
  const busy = ref<'loading' | 'saving' | 'submitting' | 'withdrawing' | null>(null);
  const preview = ref<StoryPreview | null>(null);
  const previewing = ref(false);
  /** Issues the server gave when refusing to submit (STORY_LIMITS_EXCEEDED). */
  const submitIssues = ref<StoryIssue[]>([]);

  function take(s: Story, assets: ReadonlyMap<string, StoryImage>) {
    story.value = s;
    form.value = formFromStory(s, assets, word());
    saved.value = JSON.stringify(formToInput(form.value));
  }

  async function load(id: string) {
    busy.value = 'loading';
    try {
      const s = await storiesApi.get(id);
      const ids = [...new Set([...(s.coverImageId ? [s.coverImageId] : []), ...s.imageIds])];
      // Thumbnails only: an image this person cannot open still shows, by its number.
      const assets = await Promise.all(ids.map((i) => mediaApi.get(i).then(toStoryImage, () => null)));
      take(s, new Map(assets.filter((a): a is StoryImage => !!a).map((a) => [a.id, a])));
      const handed = handoff.get(id);
      handoff.delete(id);
      error.value = handed?.error ?? null;
      submitIssues.value = handed?.issues ?? [];
    } catch (err) {
      error.value = problem(err);
    } finally {
      busy.value = null;
    }
  }

  const currentAssets = () => new Map(form.value.images.map((i) => [i.id, i]));

  /** Creates or patches; answers the story, or null when it failed (the error is shown). */
  async function save(): Promise<Story | null> {
    busy.value = 'saving';
    try {
      const input = formToInput(form.value);
      const s = story.value ? await storiesApi.update(story.value.id, input) : await storiesApi.create(input);
      take(s, currentAssets());
      error.value = null;
      return s;
    } catch (err) {
      error.value = problem(err);
      return null;
    } finally {
      busy.value = null;
    }
  }

  async function submit(): Promise<boolean> {
    if (!story.value || dirty.value) {
      if (!(await save())) return false;
    }
    busy.value = 'submitting';
    try {
      take(await storiesApi.submit(story.value!.id), currentAssets());
      submitIssues.value = [];
      error.value = null;
      return true;
    } catch (err) {
      const issues = z.array(StoryIssueSchema).safeParse(err instanceof ApiError ? err.details : undefined);
      submitIssues.value = errorCode(err) === 'STORY_LIMITS_EXCEEDED' && issues.success ? issues.data : [];
      error.value = problem(err);
      return false;
    } finally {
      busy.value = null;
    }
  }

  /** Keeps the current refusal for the editor that replaces this one (see `handoff`). */
  function handOff() {
    if (story.value && error.value) handoff.set(story.value.id, { error: error.value, issues: submitIssues.value });
  }

  async function withdraw() {
    if (!story.value) return;
    busy.value = 'withdrawing';
    try {
      take(await storiesApi.withdraw(story.value.id), currentAssets());
      error.value = null;
    } catch (err) {
      error.value = problem(err);
    } finally {
      busy.value = null;
    }
  }

  // The live preview follows the form, not the saved story, so limits show while typing.
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  async function refreshPreview() {
    const mine = ++seq;
    const input = formToInput(form.value);
    if (!input.title) return;
    previewing.value = true;
    try {
      const p = await storiesApi.previewDraft(input);
      if (mine === seq) preview.value = p;
    } catch {
      // The form's own errors show on save; a failed preview keeps the last one.
    } finally {
      if (mine === seq) previewing.value = false;
    }
  }
  watch(
    form,
    () => {
      clearTimeout(timer);
      timer = setTimeout(() => void refreshPreview(), PREVIEW_DEBOUNCE_MS);
    },
    { deep: true },
  );
  onUnmounted(() => clearTimeout(timer));

  return { story, form, dirty, error, busy, preview, previewing, submitIssues, load, save, submit, withdraw, refreshPreview, handOff };
}
