using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Workbench.Core.Users;

namespace Workbench.Api;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // A form post (with its antiforgery token) from the app bar's Sign out button.
        app.MapPost("/account/logout", async ([FromForm] string? returnUrl, SignInManager<WorkbenchUser> signIn) =>
        {
            await signIn.SignOutAsync();
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
