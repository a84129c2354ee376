/* Swagger UI for /api/v1/docs/: the set-up lives here, not inline, so the page keeps the
   site's Content Security Policy (script-src 'self'). */
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  if (!node || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  var csrfToken = node.getAttribute("data-csrf-token") || "";

  /* Swagger UI 5.33 virtualises the operation list once it holds 150 or more rows (tags plus
     operations): only the rows in the viewport are in the DOM, so the page showed just the
     first tags, and browser find, deep links and tests missed the rest. This replaces the
     list with the plain one Swagger UI draws below that threshold. */
  function FlatOperations(props) {
    var h = props.React.createElement;
    var taggedOps = props.specSelectors.taggedOperations();
    if (taggedOps.size === 0) {
      return h("h3", null, " No operations defined in spec!");
    }
    var validMethods = props.specSelectors.validOperationMethods();
    var OperationContainer = props.getComponent("OperationContainer", true);
    var OperationTag = props.getComponent("OperationTag");
    return h(
      "div",
      null,
      taggedOps
        .map(function (tagObj, tag) {
          var operations = tagObj
            .get("operations")
            .map(function (op) {
              var path = op.get("path");
              var method = op.get("method");
              if (validMethods.indexOf(method) === -1) {
                return null;
              }
              return h(OperationContainer, {
                key: path + "-" + method,
                specPath: op.get("specPath"),
                op: op,
                path: path,
                method: method,
                tag: tag,
              });
            })
            .toArray();
          return h(
            OperationTag,
            {
              key: "operation-" + tag,
              tagObj: tagObj,
              tag: tag,
              oas3Selectors: props.oas3Selectors,
              layoutSelectors: props.layoutSelectors,
              layoutActions: props.layoutActions,
              getConfigs: props.getConfigs,
              getComponent: props.getComponent,
              specUrl: props.specSelectors.url(),
            },
            h("div", { className: "operation-tag-content" }, operations)
          );
        })
        .valueSeq()
        .toArray()
    );
  }

  window.ui = window.SwaggerUIBundle({
    url: node.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    plugins: [
      function () {
        return { components: { operations: FlatOperations } };
      },
    ],
    layout: "BaseLayout",
    requestInterceptor: function (request) {
      // Logged-in browsers use their session: unsafe methods need the CSRF token.
      if (csrfToken && request.method && request.method.toUpperCase() !== "GET") {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
})();
