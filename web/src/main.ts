import { createApp } from 'vue';
// Styles of Vant's function APIs (toasts, dialogs); components bring their own styles when used.
import 'vant/es/toast/style';
import 'vant/es/dialog/style';
import 'vant/es/notify/style';
import App from './App.vue';
import { installAttributionRef } from './attribution';
import { currentLocale, i18n } from './i18n';
import { router } from './router';
import './styles.css';

document.documentElement.lang = currentLocale.value;
installAttributionRef(router);
createApp(App).use(i18n).use(router).mount('#app');
