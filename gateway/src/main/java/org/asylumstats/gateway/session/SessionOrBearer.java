package org.asylumstats.gateway.session;

import io.quarkus.oidc.TenantResolver;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Picks how a request authenticates. API clients send bearer tokens and get 401 without one (the
 * default, "service" tenant); only the dashboard's login paths and requests that already carry the
 * dashboard's session cookie use the authorization-code tenant, so that no API client is ever
 * redirected to a login page.
 */
@ApplicationScoped
public class SessionOrBearer implements TenantResolver {

    public static final String DASHBOARD_TENANT = "dashboard";
    static final String LOGIN_PATHS = "/auth/";
    private static final String SESSION_COOKIE_PREFIX = "q_session_" + DASHBOARD_TENANT;
    private static final String STATE_COOKIE_PREFIX = "q_auth_" + DASHBOARD_TENANT;

    @Override
    public String resolve(RoutingContext context) {
        if (context.request().getHeader("Authorization") != null) {
            return null;
        }
        if (context.normalizedPath().startsWith(LOGIN_PATHS)) {
            return DASHBOARD_TENANT;
        }
        for (Cookie cookie : context.request().cookies()) {
            if (cookie.getName().startsWith(SESSION_COOKIE_PREFIX) || cookie.getName().startsWith(STATE_COOKIE_PREFIX)) {
                return DASHBOARD_TENANT;
            }
        }
        return null;
    }
}
