using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Workbench.Core.Users;

namespace Workbench.Security;

public static class SecurityServiceCollectionExtensions
{
    private const string CookieOrToken = "CookieOrToken";

    // The sign-in cookie is good for this long after the last request (sliding: renewed once half of it has passed),
    // at most UserSessionService.MaxAge after the sign-in, and ends with the browser session.
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(8);
    public static readonly TimeSpan SecurityStampInterval = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddWorkbenchSecurity(this IServiceCollection services, IConfiguration configuration, IWebHostEnvironment environment)
    {
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieOrToken;
                o.DefaultChallengeScheme = CookieOrToken;
            })
            .AddPolicyScheme(CookieOrToken, "Cookie or API token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        var secure = SecurityHeaders.IsHttpsBound(configuration) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.ConfigureApplicationCookie(o =>
        {
            o.ExpireTimeSpan = CookieLifetime;
            o.SlidingExpiration = true;
            o.Cookie.SecurePolicy = secure;
            o.Events.OnValidatePrincipal = SessionSignIn.ValidateAsync;
            o.LoginPath = "/login";
            // A signed-in user without the role goes back to the login page, which says so and offers another account.
            o.AccessDeniedPath = "/login";
            o.Cookie.Name = "workbench.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Events.OnRedirectToLogin = context => ApiOr(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => ApiOr(context, StatusCodes.Status403Forbidden);
        });
        // A locked, deleted or re-roled user's cookie stops working within a minute; a signed-out session at once.
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = SecurityStampInterval;
            o.OnRefreshingPrincipal = SessionSignIn.KeepSession;
        });
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = secure);
        services.AddScoped<SessionSignIn>();
        services.AddSingleton(SignInRateLimits.From(configuration));
        services.AddProblemDetails();

        new IdentityBuilder(typeof(WorkbenchUser), typeof(IdentityRole), services).AddSignInManager();
        services.AddAuthorization(Access.Configure);
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingUserStateProvider>();
        services.AddScoped<CurrentUser>();

        var limits = UploadLimits.From(configuration);
        services.AddSingleton(limits);
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = limits.MaxUploadBytes);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = limits.MaxUploadBytes;
            o.AddServerHeader = false;
        });
        services.AddHttpsRedirection(_ => { });
        return services;
    }

    // API callers get a status code, never the login page.
    private static Task ApiOr(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

// Re-checks the circuit's user every minute, so a locked, deleted or signed-out account loses its open pages too.
internal sealed class RevalidatingUserStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WorkbenchUser>>();
        var user = await users.GetUserAsync(state.User);
        if (user is null || await users.IsLockedOutAsync(user)) return false;
        var session = state.User.FindFirstValue(SessionSignIn.SessionClaim);
        var sessions = scope.ServiceProvider.GetRequiredService<UserSessionService>();
        if (session is null || !await sessions.IsActiveAsync(session, user.Id, ct)) return false;
        if (!users.SupportsUserSecurityStamp) return true;
        var stamp = state.User.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}
