using Workbench.Core.Reports;
using Workbench.Security;

namespace Workbench.Api;

// KPI packs: the list and the two files of a finished pack (the deck and the HTML page), as attachments; never cached
// (every reply of the app is Cache-Control: no-store), errors as problem details.
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReportApi(this IEndpointRouteBuilder app)
    {
        var packs = app.MapGroup("/api/reports/packs").WithTags("KPI packs").RequireAuthorization(Access.Reports);

        packs.MapGet("", async (KpiPackService service, CancellationToken ct) => Results.Ok((await service.ListAsync(ct)).Select(p => new
            {
                id = p.Id, title = p.Title, from = p.From, lastDay = p.LastDay, experiments = p.Experiments, weekly = p.Weekly, weekKey = p.WeekKey,
                status = p.Status.ToString().ToLowerInvariant(), progress = p.Progress, createdAt = p.CreatedAt, createdBy = p.CreatedBy,
                finishedAt = p.FinishedAt, error = p.Error, pptxBytes = p.PptxBytes, htmlBytes = p.HtmlBytes,
            })))
            .WithName("ListKpiPacks")
            .WithSummary("The latest 50 KPI packs, newest first (without their files).");

        packs.MapGet("/{id:long}/{format}", async (long id, string format, KpiPackService service, HttpContext http, CancellationToken ct) =>
            {
                KpiPackFormatKind? kind = format switch { "pptx" => KpiPackFormatKind.Pptx, "html" => KpiPackFormatKind.Html, _ => null };
                if (kind is null)
                    return Results.Problem(statusCode: 404, title: "Unknown format", detail: "A KPI pack downloads as pptx or html.");
                if (await service.FileAsync(id, kind.Value, http.User.Identity?.Name ?? "unknown", ct) is not { } file)
                    return Results.Problem(statusCode: 404, title: "No such KPI pack",
                        detail: $"KPI pack {id} does not exist or has not finished building.");
                http.Response.Headers.CacheControl = "no-store";
                return Results.File(file.Bytes, file.ContentType, file.FileName);
            })
            .WithName("DownloadKpiPack")
            .WithSummary("A finished KPI pack as a PowerPoint deck (pptx) or a self-contained HTML page (html), as an attachment.")
            .ProducesProblem(404);
        return app;
    }
}
