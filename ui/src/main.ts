import './lib/locale-guard';
import { mount } from 'svelte';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import App from './App.svelte';
import { applyTheme } from './lib/theme';
import { watchScrollBoxes } from './lib/scrollbox';

// The light or dark theme before the first paint, and on every change after.
applyTheme();

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(App, { target });

// Wide tables that scroll in their own box can be scrolled from the keyboard.
watchScrollBoxes();
