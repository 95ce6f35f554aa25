package org.asylumstats.gateway.session;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;

/**
 * The dashboard's login edges. {@code /auth/login} is protected by the code flow (PKCE), so reaching
 * the handler means the session exists; it returns to the dashboard. {@code /auth/me} tells the page
 * who is logged in and with which roles, so that it offers only the actions the back-end will allow.
 * {@code /auth/logout} is handled by Quarkus OIDC (RP-initiated logout) for a session; without one it
 * simply returns to the dashboard.
 */
@ApplicationScoped
public class SessionRoutes {

    private static final List<String> WORKING_ROLES = List.of("viewer", "analyst", "reviewer", "admin");

    void install(@Observes Router router) {
        router.get(SessionOrBearer.LOGIN_PATHS + "login").handler(SessionRoutes::backToDashboard);
        router.get(SessionOrBearer.LOGIN_PATHS + "logout").handler(SessionRoutes::backToDashboard);
        router.get(SessionOrBearer.LOGIN_PATHS + "me").handler(SessionRoutes::me);
    }

    private static void backToDashboard(RoutingContext ctx) {
        ctx.response().setStatusCode(302).putHeader("Location", "/").putHeader("Cache-Control", "no-store").end();
    }

    private static void me(RoutingContext ctx) {
        SecurityIdentity identity = ctx.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        JsonObject body = new JsonObject();
        if (identity == null || identity.isAnonymous()) {
            body.put("authenticated", false);
        } else {
            body.put("authenticated", true).put("name", identity.getPrincipal().getName())
                    .put("roles", new JsonArray(WORKING_ROLES.stream().filter(identity::hasRole).toList()));
        }
        ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store").end(body.encode());
    }
}
