using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Workbench.Core.Users;

namespace Workbench.Security;

public enum SignInOutcome
{
    SignedIn,
    // A wrong password, an unknown user name and a locked account look the same to the caller.
    Refused,
    Throttled,
}

// Sign-in with a password into a session kept in the store (UserSessionService); the cookie carries the session id,
// and every cookie request checks that the session has not ended.
public sealed class SessionSignIn(
    SignInManager<WorkbenchUser> signIn,
    UserManager<WorkbenchUser> users,
    UserSessionService sessions,
    SignInRateLimits limits)
{
    public const string SessionClaim = "workbench:session";

    // An unknown user name costs as much as a wrong password: the time taken does not tell which names exist.
    private static readonly Lazy<(WorkbenchUser User, string Hash)> Decoy = new(() =>
    {
        var user = new WorkbenchUser("decoy");
        return (user, new PasswordHasher<WorkbenchUser>().HashPassword(user, Guid.NewGuid().ToString()));
    });

    public async Task<SignInOutcome> SignInAsync(string userName, string password, string? address, CancellationToken ct)
    {
        if (!limits.TryAcquire(address, userName)) return SignInOutcome.Throttled;
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(Decoy.Value.User, Decoy.Value.Hash, password);
            return SignInOutcome.Refused;
        }
        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!check.Succeeded) return SignInOutcome.Refused;
        var session = await sessions.StartAsync(user.Id, ct);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(SessionClaim, session), new Claim("amr", "pwd")]);
        return SignInOutcome.SignedIn;
    }

    public async Task SignOutAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (principal.FindFirstValue(SessionClaim) is { } session) await sessions.EndAsync(session, ct);
        await signIn.SignOutAsync();
    }

    // Runs on every request with the sign-in cookie, after Identity's security stamp check.
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        if (context.Principal is not { } principal) return;
        var session = principal.FindFirstValue(SessionClaim);
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var sessions = context.HttpContext.RequestServices.GetRequiredService<UserSessionService>();
        if (session is null || userId is null || !await sessions.IsActiveAsync(session, userId, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    // The security stamp check rebuilds the principal from the store; the session id comes along.
    public static Task KeepSession(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal?.FindFirst(SessionClaim) is { } claim && context.NewPrincipal?.Identity is ClaimsIdentity identity)
        {
            identity.AddClaim(new Claim(SessionClaim, claim.Value));
        }
        return Task.CompletedTask;
    }
}
