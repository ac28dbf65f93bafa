using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Workbench.Security;

namespace Workbench.Api;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // A form post (with its antiforgery token) from the app bar's Sign out button. Ends the session in the store,
        // so a copy of the cookie stops working too.
        app.MapPost("/account/logout", async ([FromForm] string? returnUrl, ClaimsPrincipal user, SessionSignIn signIn, CancellationToken ct) =>
        {
            await signIn.SignOutAsync(user, ct);
            return Results.LocalRedirect("~/login");
        });

        // Who the caller is: lets a script check its token.
        app.MapGet("/api/me", (ClaimsPrincipal user) => Results.Ok(new
        {
            userName = user.Identity?.Name,
            roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray(),
        }));
        return app;
    }
}
