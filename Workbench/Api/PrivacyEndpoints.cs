using System.Security.Claims;
using Workbench.Core.Privacy;
using Workbench.Security;

namespace Workbench.Api;

public static class PrivacyEndpoints
{
    public static IEndpointRouteBuilder MapPrivacyApi(this IEndpointRouteBuilder app)
    {
        var privacy = app.MapGroup("/api/privacy/customers/{id}").RequireAuthorization(Access.Privacy);

        // Right of access: everything held about one customer.
        privacy.MapGet("/", async (string id, CustomerPrivacyService service, ClaimsPrincipal user, CancellationToken ct) =>
            await service.ExportAsync(id, user.Identity!.Name!, ct) is { } json
                ? Results.Text(json, "application/json")
                : Results.Problem(statusCode: 404, title: "No such customer", detail: $"There is no customer '{id}'."));

        // Right of erasure.
        privacy.MapPost("/erase", async (string id, CustomerPrivacyService service, ClaimsPrincipal user, CancellationToken ct) =>
            await service.EraseAsync(id, user.Identity!.Name!, ct) is { } erased
                ? Results.Ok(new { customerId = id, anonymousKey = erased.AnonymousKey, checkpointed = erased.Checkpointed,
                    freePagesOverwritten = erased.FreePagesOverwritten, auditEntriesUnlinked = erased.AuditEntriesUnlinked })
                : Results.Problem(statusCode: 404, title: "No such customer", detail: $"There is no customer '{id}'."));
        return app;
    }
}
