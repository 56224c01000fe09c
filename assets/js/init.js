// Starts GOV.UK Frontend's components (accordion, error summary, notification
// banner, tabs, etc.). Load at the end of <body>:
//
//   <script type="module" src="{% static 'engage/js/init.js' %}"></script>
//
// No inline script is needed.
import { initAll } from "./govuk-frontend.min.js";

// Module scripts only run in browsers that GOV.UK Frontend supports, so if
// body-classes.js was left out of a page, set its classes here as a fallback
// (the page may then flash before accordions and tabs take their closed state).
document.body.classList.add("js-enabled", "govuk-frontend-supported");

initAll();
