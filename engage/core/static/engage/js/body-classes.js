// GOV.UK Frontend's "supported" check, as an external file so that no inline
// script is needed (the site's Content Security Policy forbids inline script).
//
// Load it as a CLASSIC script (not type="module", not defer/async) as the very
// first thing inside <body>, so the classes are set before the page renders:
//
//   <body class="govuk-template__body">
//     <script src="{% static 'engage/js/body-classes.js' %}"></script>
//
// It does exactly what GOV.UK Frontend's page template does inline:
// "js-enabled" always, "govuk-frontend-supported" only in browsers that run
// ES modules (the ones GOV.UK Frontend's JavaScript supports).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
