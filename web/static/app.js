// Progressive enhancement only: every page works without JavaScript.
// (The NHS.UK template sets these classes with an inline script; the Content-Security-Policy
// forbids inline script, so it is done here.)
import { initAll } from './nhsuk/nhsuk-frontend.min.js'

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported')
initAll()
