import { render } from 'preact';
import './styles.css';
import { App } from './app.jsx';
import { interceptLinks } from './lib/router.js';

interceptLinks(document);
render(<App />, document.getElementById('app'));
