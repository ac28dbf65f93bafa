using Workbench.Core.Import;
using Workbench.Security;

namespace Workbench.Api;

public static class ImportEndpoints
{
    public static IEndpointRouteBuilder MapImportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/imports/{id:long}/rejected.csv", async (long id, ImportService imports, CancellationToken ct) =>
        {
            var stream = await imports.OpenRejectedRowsAsync(id, ct);
            return stream is null
                ? Results.Problem(statusCode: 404, title: "No rejected rows", detail: $"Import {id} kept no rejected rows.")
                : Results.File(stream, "text/csv", $"import-{id}-rejected.csv");
        }).RequireAuthorization(Access.Import);
        return app;
    }
}
