using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Users;
using Workbench.Security;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Web;

// Every routable page and every /api endpoint, found by reflection and from the endpoint table (so pages and
// endpoints added later are covered too), requested as each role and anonymously: allowed ones answer, the rest
// get the not-allowed page (signed in) or the login page (anonymous) in the UI, 401/403 from the API, never data.
public sealed partial class AccessMatrixTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    // Pinned: what each known area must allow, so a policy cannot drift silently.
    public static TheoryData<string, string[]> PinnedPages => new()
    {
        { "/", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/account", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/audit", [Roles.Admin, Roles.Analyst] },
        { "/jobs", [Roles.Admin, Roles.Analyst] },
        { "/users", [Roles.Admin] },
        { "/privacy", [Roles.Admin] },
        { "/import", [Roles.Admin, Roles.Marketer] },
        { "/customers", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/quality", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/segments", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/model", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/value-drivers", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/kpis", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/reports", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/meeting", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/learnings", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/experiments/analyse", [Roles.Admin, Roles.Marketer, Roles.Analyst] },
        { "/playbook", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/playbook/preview", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/playbook/use-cases", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
        { "/playbook/gaps", [Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer] },
    };

    private static readonly string[] AnonymousPages = ["/login"];

    public static IEnumerable<(string Route, IReadOnlyList<string> Allowed)> Pages() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (Route: Concrete(r.Template), Type: t)))
            .Where(p => !AnonymousPages.Contains(p.Route))
            .Select(p => (p.Route, AllowedRoles(p.Type.GetCustomAttributes(true).OfType<IAuthorizeData>())))
            .OrderBy(p => p.Route);

    public static TheoryData<string?> Callers => new() { Roles.Admin, Roles.Marketer, Roles.Analyst, Roles.Viewer, null };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task EveryPage_AllowedRolesGetIt_OthersAreToldOrSentToLogin(string? role)
    {
        var client = await app.ClientAsync(role);
        var failures = new List<string>();
        foreach (var (route, allowed) in Pages())
        {
            var response = await client.GetAsync(route);
            var status = (int)response.StatusCode;
            if (role is not null && allowed.Contains(role))
            {
                // A route with a parameter is asked for id 1, which may not exist: a not-found answer is fine there.
                var fine = status == 200 || status == 404 && route.Contains("/1");
                if (!fine) failures.Add($"{route}: expected 200 for {role}, got {status} {response.Headers.Location}");
            }
            else if (status != 302 || response.Headers.Location?.AbsolutePath != (role is null ? "/login" : "/not-allowed"))
            {
                failures.Add($"{route}: expected a redirect to {(role is null ? "/login" : "/not-allowed")} for {role ?? "anonymous"}, got {status} {response.Headers.Location}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Contains(Pages(), p => p.Route == "/users");
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task EveryApiEndpoint_AllowedRolesPass_OthersGet401Or403(string? role)
    {
        var failures = new List<string>();
        var endpoints = ApiEndpoints();
        Assert.NotEmpty(endpoints);
        foreach (var bearer in new[] { false, true })
        {
            var client = bearer ? await BearerClientAsync(role) : await app.ClientAsync(role);
            foreach (var (method, route, allowed) in endpoints)
            {
                // A state-changing request with the cookie is sent as the app's own page would send it.
                var request = new HttpRequestMessage(new HttpMethod(method), route);
                if (!bearer && role is not null && RequestForgeryProtection.ChangesState(method))
                {
                    request.Headers.Add("Origin", WebAppFactory.OwnOrigin);
                    request.Headers.Add(RequestForgeryProtection.TokenHeader, await AntiforgeryTokenAsync(role));
                }
                var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var expected = role is null ? "401" : allowed.Contains(role) ? "allowed" : "403";
                var ok = expected switch
                {
                    "allowed" => status is not (401 or 403) and < 500,
                    _ => status.ToString() == expected,
                };
                if (!ok) failures.Add($"{method} {route} ({(bearer ? "token" : "cookie")}): expected {expected} for {role ?? "anonymous"}, got {status}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // The cross-origin column: every state-changing endpoint (API, pages' form posts, sign-out, the circuit's own),
    // found in the endpoint table, posted from a page of another origin with the caller's cookie or token. A caller
    // the route allows is refused by the origin check; the others are refused before it, as in the columns above.
    [Theory]
    [MemberData(nameof(Callers))]
    public async Task EveryStateChangingEndpoint_FromAnotherOrigin_IsRefused(string? role)
    {
        var failures = new List<string>();
        var endpoints = StateChangingEndpoints();
        Assert.Contains(endpoints, e => e.Route == "/api/privacy/customers/1/erase");
        Assert.Contains(endpoints, e => e.Route == "/api/segments/count");
        Assert.Contains(endpoints, e => e.Route == "/account/logout");
        Assert.Contains(endpoints, e => e.Route == "/login");
        foreach (var bearer in new[] { false, true })
        {
            var client = bearer ? await BearerClientAsync(role) : await app.ClientAsync(role);
            foreach (var (method, route, allowed) in endpoints)
            {
                foreach (var header in new[] { "Origin", "Referer" })
                {
                    // What an auto-submitted form on the other page sends: text/plain, no antiforgery token.
                    var request = new HttpRequestMessage(new HttpMethod(method), route) { Content = new StringContent("x=1") };
                    request.Headers.Add(header, header == "Origin" ? WebAppFactory.OtherOrigin : WebAppFactory.OtherOrigin + "/attack.html");
                    if (!bearer && role is not null && route != "/login") request.Headers.Add(RequestForgeryProtection.TokenHeader, await AntiforgeryTokenAsync(role));
                    var response = await client.SendAsync(request);
                    var status = (int)response.StatusCode;
                    var body = await response.Content.ReadAsStringAsync();
                    var byOriginCheck = status == 403 && body.Contains("Cross-origin request refused");
                    var refusedBefore = status is 401 or 403 || status == 302 && response.Headers.Location?.AbsolutePath is "/login" or "/not-allowed";
                    var mayUse = allowed.Contains(role ?? "") || route == "/login";
                    if (mayUse ? !byOriginCheck : !refusedBefore)
                        failures.Add($"{method} {route} ({(bearer ? "token" : "cookie")}, {header}) from another origin: got {status} for {role ?? "anonymous"}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(PinnedPages))]
    public void KnownPages_HaveTheAgreedRoles(string route, string[] roles)
    {
        var page = Assert.Single(Pages(), p => p.Route == route);
        Assert.Equal(roles.Order(), page.Allowed.Order());
    }

    [Fact]
    public void KnownApiEndpoints_HaveTheAgreedRoles()
    {
        var endpoints = ApiEndpoints();
        Assert.Equal([Roles.Admin, Roles.Marketer], endpoints.Single(e => e.Route.StartsWith("/api/imports/")).Allowed);
        Assert.Equal([Roles.Admin, Roles.Analyst], endpoints.Single(e => e.Route == "/api/audit/export.csv").Allowed);
        Assert.All(endpoints.Where(e => e.Route.StartsWith("/api/privacy/")), e => Assert.Equal([Roles.Admin], e.Allowed));
        // The playbook: everyone who reads customers reads plays; Admins and Marketers write them.
        Assert.All(endpoints.Where(e => e.Route.StartsWith("/api/plays") && e.Method == "GET"), e => Assert.Equal(Roles.All, e.Allowed));
        Assert.All(endpoints.Where(e => e.Route.StartsWith("/api/plays") && e.Method is "POST" or "PUT"), e => Assert.Equal([Roles.Admin, Roles.Marketer], e.Allowed));
        Assert.Equal(4, endpoints.Count(e => e.Route.StartsWith("/api/plays")));
        Assert.Equal(Roles.All, endpoints.Single(e => e.Route == "/api/customers/1/plays").Allowed);
        Assert.Equal(Roles.All, endpoints.Single(e => e.Route == "/api/customers/1/next-best-action").Allowed);
    }

    private List<(string Method, string Route, IReadOnlyList<string> Allowed)> ApiEndpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, Concrete(e.RoutePattern.RawText!), AllowedRoles(e.Metadata.GetOrderedMetadata<IAuthorizeData>()))))
            .ToList();

    // Every endpoint that takes a state-changing method: API, pages (their forms post to them), sign-out, framework.
    private List<(string Method, string Route, IReadOnlyList<string> Allowed)> StateChangingEndpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                .Where(RequestForgeryProtection.ChangesState)
                .Select(m => (m, Concrete(e.RoutePattern.RawText!), AllowedRoles(e.Metadata.GetOrderedMetadata<IAuthorizeData>()))))
            .Distinct()
            .ToList();

    private readonly Dictionary<string, string> _antiforgeryTokens = [];

    private async Task<string> AntiforgeryTokenAsync(string role)
    {
        if (!_antiforgeryTokens.TryGetValue(role, out var token))
        {
            _antiforgeryTokens[role] = token = await WebAppFactory.AntiforgeryTokenAsync(await app.ClientAsync(role));
        }
        return token;
    }

    private async Task<HttpClient> BearerClientAsync(string? role)
    {
        var client = app.NewClient();
        if (role is null) return client;
        var users = await app.Users.ListAsync();
        var user = users.Single(u => u.UserName == WebAppFactory.UserNameFor(role));
        var token = await app.Services.GetRequiredService<ApiTokenService>().CreateAsync(user.Id, user.UserName, "matrix");
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    // Roles a caller needs: the intersection of every policy and role list; no attribute means any signed-in user.
    private static IReadOnlyList<string> AllowedRoles(IEnumerable<IAuthorizeData> data)
    {
        IEnumerable<string> allowed = Roles.All;
        foreach (var item in data)
        {
            if (item.Policy is { } policy) allowed = allowed.Intersect(Access.RolesByPolicy[policy]);
            if (item.Roles is { } roles) allowed = allowed.Intersect(roles.Split(',', StringSplitOptions.TrimEntries));
        }
        return allowed.ToList();
    }

    // A concrete path for a route template: every parameter becomes 1 (an id that does not exist).
    private static string Concrete(string template) => "/" + RouteParameter().Replace(template.TrimStart('/'), "1");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
