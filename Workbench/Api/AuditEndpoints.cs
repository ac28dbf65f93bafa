using System.Text;
using Workbench.Core.Audit;
using Workbench.Security;

namespace Workbench.Api;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        // Streams the filtered audit trail; dates are UTC days, 'to' inclusive.
        app.MapGet("/api/audit/export.csv", async (string? user, string? entity, string? from, string? to,
            AuditService audit, HttpContext http, CancellationToken ct) =>
        {
            if (!TryDay(from, out var fromDay) || !TryDay(to, out var toDay))
            {
                return Results.Problem(statusCode: 400, title: "Bad date", detail: "from and to are dates like 2026-11-25.");
            }
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"audit.csv\"";
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 1 << 16);
            await audit.WriteCsvAsync(ToFilter(user, entity, fromDay, toDay), writer, ct);
            return Results.Empty;
        }).RequireAuthorization(Access.Audit);
        return app;
    }

    private static bool TryDay(string? text, out DateOnly? day)
    {
        day = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", out var parsed)) return false;
        day = parsed;
        return true;
    }

    public static AuditFilter ToFilter(string? user, string? entity, DateOnly? from, DateOnly? to) => new(
        string.IsNullOrWhiteSpace(user) ? null : user,
        string.IsNullOrWhiteSpace(entity) ? null : entity,
        from?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        to?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
}
