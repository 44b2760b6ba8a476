// Progressive enhancement only: every page works without JavaScript.
import { initAll } from './nhsuk/nhsuk-frontend.min.js'

initAll()
