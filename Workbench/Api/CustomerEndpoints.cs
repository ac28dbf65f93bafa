using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using Workbench.Core.Audit;
using Workbench.Core.Csv;
using Workbench.Core.Customers;
using Workbench.Core.Quality;
using Workbench.Security;

namespace Workbench.Api;

public static class CustomerEndpoints
{
    public static IEndpointRouteBuilder MapCustomerApi(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/api/customers").WithTags("Customers").RequireAuthorization(Access.ViewCustomers);

        customers.MapGet("/{id}", async Task<IResult> (string id, ClaimsPrincipal user, CustomerService service, AuditService audit, CancellationToken ct) =>
            {
                if (await service.ProfileAsync(id, ct) is not { } profile)
                    return Results.Problem(statusCode: 404, title: "Unknown customer", detail: $"No customer has the id '{id}'.");
                await audit.RecordPersonalDataAccessAsync(user.Identity?.Name ?? "unknown", id, ct);
                return Results.Json(user.Mask(profile), CustomerJson.Options);
            })
            .WithName("GetCustomer")
            .WithSummary("The 360° profile of one customer: identity with provenance, consents, KPIs, timeline, events and data issues.")
            .Produces<CustomerProfile>(200)
            .ProducesProblem(404);

        customers.MapGet("/export.csv", async Task (HttpContext http, CustomerService service, CustomerSearchLimiter limiter,
                [AsParameters] CustomerFilter filter, CancellationToken ct) =>
            {
                var query = filter.ToQuery(http.User);
                if (CustomerService.Refusal(query) is { } refusal)
                {
                    await Results.Problem(statusCode: 400, title: "Query refused", detail: refusal).ExecuteAsync(http);
                    return;
                }
                if (!limiter.TryAcquire(http.User.Identity?.Name, query.Search))
                {
                    http.Response.Headers.RetryAfter = "10";
                    await Results.Problem(statusCode: 429, title: "Too many searches", detail: limiter.RefusalMessage).ExecuteAsync(http);
                    return;
                }
                await CsvResponse.WriteAsync(http, "customers.csv", http.User.MaskRows(CustomerRows(service.StreamAsync(query, ct))), ct);
            })
            .WithName("ExportCustomers")
            .WithSummary("The filtered customer list as CSV, streamed (any size). Same filters as the Customers page.")
            .Produces(200, contentType: "text/csv")
            .ProducesProblem(400)
            .ProducesProblem(429);

        var quality = app.MapGroup("/api/quality").WithTags("Data quality").RequireAuthorization(Access.Quality);
        quality.MapGet("/", async (QualityService service, CancellationToken ct) =>
                Results.Json(await service.ComputeAsync(ct), CustomerJson.Options))
            .WithName("GetQuality")
            .WithSummary("The data quality figures now: row counts, completeness per field, each check and the score.")
            .Produces<QualityReport>(200);

        quality.MapGet("/{rule}.csv", async Task (string rule, HttpContext http, QualityService service, CancellationToken ct) =>
            {
                if (QualityRules.Find(rule) is null)
                {
                    await Results.Problem(statusCode: 404, title: "Unknown check", detail: $"No quality check is called '{rule}'.").ExecuteAsync(http);
                    return;
                }
                await CsvResponse.WriteAsync(http, $"quality-{rule}.csv", http.User.MaskRows(service.StreamRecordsAsync(rule, ct)), ct);
            })
            .WithName("ExportQualityRecords")
            .WithSummary("The records failing one quality check, as CSV.")
            .Produces(200, contentType: "text/csv")
            .ProducesProblem(404);

        quality.MapGet("/trend.csv", async Task (HttpContext http, QualityService service, CancellationToken ct) =>
                await CsvResponse.WriteAsync(http, "quality-trend.csv", TrendRows(await service.TrendAsync(500, ct)), ct))
            .WithName("ExportQualityTrend")
            .WithSummary("The quality score and each check's count at every recorded snapshot, as CSV.")
            .Produces(200, contentType: "text/csv");
        return app;
    }

    private static async IAsyncEnumerable<IEnumerable<string?>> CustomerRows(IAsyncEnumerable<CustomerListItem> customers)
    {
        yield return ["customer_id", "first_name", "last_name", "email", "region", "loyalty_tier", "orders", "net_revenue",
            "last_purchase_at", .. Channels.Contact.Select(c => "consent_" + c)];
        await foreach (var c in customers)
        {
            yield return [c.CustomerId, c.FirstName, c.LastName, c.Email, c.Region, c.LoyaltyTier,
                c.Orders.ToString(CultureInfo.InvariantCulture), SafeCsv.Number(c.NetRevenue),
                c.LastPurchaseAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                .. Channels.Contact.Select(ch => c.Consents[ch])];
        }
    }

    private static async IAsyncEnumerable<IEnumerable<string?>> TrendRows(IReadOnlyList<QualityTrendPoint> trend)
    {
        var keys = QualityRules.All.Select(r => r.Key).ToList();
        yield return ["taken_at", "import_run_id", "score", .. keys];
        foreach (var p in trend)
        {
            yield return [p.TakenAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                p.ImportRunId?.ToString(CultureInfo.InvariantCulture), SafeCsv.Number(p.Score),
                .. keys.Select(k => p.Offenders.TryGetValue(k, out var n) ? n.ToString(CultureInfo.InvariantCulture) : "")];
        }
        await Task.CompletedTask;
    }
}

// The list's filters as query-string parameters, shared by the page's export link and the API.
public sealed record CustomerFilter(
    string? Search, string? Region, string? Tier, string? ConsentChannel, string? ConsentStatus,
    DateOnly? From, DateOnly? To, CustomerSort? Sort, bool? Desc)
{
    public CustomerListQuery ToQuery(ClaimsPrincipal user) => new(Search, Region, Tier, ConsentChannel, ConsentStatus, From, To,
        Sort ?? CustomerSort.Id, Desc ?? false, SeesContactDetails: PersonalDataAccess.SeesPersonalData(user));

    public static string QueryString(CustomerListQuery q)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) parts.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        Add("search", q.Search);
        Add("region", q.Region);
        Add("tier", q.Tier);
        Add("consentChannel", q.ConsentChannel);
        Add("consentStatus", q.ConsentChannel is null ? null : q.ConsentStatus);
        Add("from", q.LastPurchaseFrom?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Add("to", q.LastPurchaseTo?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        if (q.Sort != CustomerSort.Id) Add("sort", q.Sort.ToString());
        if (q.Descending) Add("desc", "true");
        return string.Join('&', parts);
    }
}
