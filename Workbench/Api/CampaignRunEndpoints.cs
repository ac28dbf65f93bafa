using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Workbench.Core.Campaigns;
using Workbench.Features.Campaigns;
using Workbench.Security;

namespace Workbench.Api;

// Campaign runs and their send lists: start one now, watch it, cancel it, read the outbox a page at a time or as CSV
// for the sending platform; the dry run; the global holdout setting. Send lists name customers: never cached.
public static class CampaignRunEndpoints
{
    public static IEndpointRouteBuilder MapCampaignRunApi(this IEndpointRouteBuilder app)
    {
        var campaigns = app.MapGroup("/api/campaigns").WithTags("Campaign runs").RequireAuthorization(Access.Campaigns);

        campaigns.MapGet("/{id}/runs", async (string id, CampaignStore store, CampaignRunner runner, CancellationToken ct) =>
                await store.GetAsync(id, ct) is null ? CampaignEndpoints.NoSuchCampaign(id) : Results.Ok((await runner.RunsAsync(id, 100, ct)).Select(RunJson)))
            .WithName("ListCampaignRuns")
            .WithSummary("The campaign's latest 100 runs, newest first.")
            .ProducesProblem(404);

        campaigns.MapPost("/{id}/runs", async (string id, [FromQuery(Name = "dryRun")] bool? dryRun, HttpContext http, CampaignStore store,
                CampaignRunner runner, TimeProvider clock, CancellationToken ct) =>
            {
                if (await store.GetAsync(id, ct) is not { } campaign) return CampaignEndpoints.NoSuchCampaign(id);
                if (dryRun == true)
                    return Results.Ok(CountsJson(await runner.DryRunAsync(campaign, clock.GetUtcNow().UtcDateTime, null, ct)));
                if (campaign.Status is CampaignStatus.Draft or CampaignStatus.Finished)
                    return Results.Problem(statusCode: 409, title: "Campaign not runnable",
                        detail: $"Campaign '{id}' is {CampaignText.Status(campaign.Status)}; schedule it (or pause it) before running it, or ask for a dry run (?dryRun=true).");
                if (await runner.ClaimManualAsync(campaign, CampaignEndpoints.UserName(http.User), ct) is not { } runId)
                    return Results.Problem(statusCode: 409, title: "Already running", detail: "A run of this campaign was started this very second; open its runs.");
                runner.Start(runId);
                http.Response.Headers.Location = $"/api/runs/{runId}";
                return Results.Json(new { id = runId }, statusCode: 202);
            })
            .RequireAuthorization(Access.EditCampaigns)
            .WithName("StartCampaignRun")
            .WithSummary("Runs the campaign now (202 with the run's id; it runs in the background), or with ?dryRun=true counts what a run would do without writing.")
            .ProducesProblem(404)
            .ProducesProblem(409);

        var runs = app.MapGroup("/api/runs").WithTags("Campaign runs").RequireAuthorization(Access.Campaigns);

        runs.MapGet("/{id:long}", async (long id, CampaignRunner runner, CancellationToken ct) =>
                await runner.GetAsync(id, ct) is not { } run ? NoSuchRun(id)
                    : Results.Ok(new { run = RunJson(run), counts = CountsJson(await runner.CountsAsync(id, ct)) }))
            .WithName("GetCampaignRun")
            .WithSummary("One run: status, progress and its counts per arm, variant, channel, play and reason not sent.")
            .ProducesProblem(404);

        runs.MapGet("/{id:long}/outcomes", async (long id, CampaignRunner runner, CampaignOutcomeService outcomes, CancellationToken ct) =>
                await runner.GetAsync(id, ct) is null ? NoSuchRun(id)
                    : Results.Ok((await outcomes.ForRunAsync(id, ct)).Arms.Select(a => new
                    {
                        arm = a.Arm, variant = a.Variant, targeted = a.Targeted, sent = a.Sent, withOutcome = a.WithOutcome, delivered = a.Delivered,
                        opened = a.Opened, clicked = a.Clicked, converted = a.Converted, unsubscribed = a.Unsubscribed, revenue = a.Revenue, margin = a.Margin,
                    })))
            .WithName("GetCampaignRunOutcomes")
            .WithSummary("What came back for a run's sends, per arm (each variant and the control group): sends, deliveries, opens, clicks, conversions, unsubscribes, revenue and margin.")
            .ProducesProblem(404);

        runs.MapGet("/{id:long}/results", async (long id, [FromQuery(Name = "windowDays")] int? windowDays, CampaignResultService results, CancellationToken ct) =>
            {
                var days = windowDays ?? RunResults.DefaultWindowDays;
                if (days is < 1 or > RunResults.MaxWindowDays)
                    return Results.Problem(statusCode: 400, title: "Bad window", detail: $"windowDays is a whole number of days from 1 to {RunResults.MaxWindowDays}.");
                if (await results.ForRunAsync(id, days, ct) is not { } r) return NoSuchRun(id);
                return Results.Ok(new
                {
                    from = Iso(r.From), to = Iso(r.To), windowDays = r.WindowDays, open = r.Open,
                    rule = "purchases of every targeted customer (global holdout left out) from the run's decision moment (included) for windowDays (end excluded); "
                           + "conversion = a line bought, revenue = quantity × unit price − discount, margin = revenue − quantity × unit cost; "
                           + "two-proportion z-test or Welch's t-test against control, 95%; p adjusted by Benjamini–Hochberg over the run's cells",
                    arms = r.Arms.Select(a => new { arm = a.Arm, customers = a.Customers, converters = a.Converters, revenue = a.Revenue, margin = a.Margin }),
                    plannedShares = r.PlannedShares,
                    srm = r.SampleRatio is { } srm ? new { chiSquare = srm.ChiSquare, pValue = srm.PValue, df = srm.Df, mismatch = srm.Mismatch } : null,
                    cells = r.Cells.Select(c => new
                    {
                        segment = c.Segment, metric = c.Metric, variant = c.Variant, n = c.N, value = Finite(c.Value), controlN = c.ControlN, controlValue = Finite(c.ControlValue),
                        absoluteLift = Finite(c.AbsoluteLift), relativeLift = Finite(c.RelativeLift), ciLow = Finite(c.CiLow), ciHigh = Finite(c.CiHigh),
                        pValue = Finite(c.PValue), adjustedPValue = Finite(c.AdjustedPValue), chanceToBeatControl = Finite(c.ChanceToBeatControl),
                    }),
                });
            })
            .WithName("GetCampaignRunResults")
            .WithSummary("A run's results against its control group from attributed purchases (windowDays 1–90, default 7): per arm the customers, converters, revenue and margin; per segment × metric × variant the lift with its 95% interval, p-value and Benjamini–Hochberg adjusted p-value.")
            .ProducesProblem(400)
            .ProducesProblem(404);

        runs.MapGet("/{id:long}/sends", async (long id, HttpContext http, CampaignRunner runner, CancellationToken ct) =>
            {
                http.Response.Headers.CacheControl = "no-store";
                var after = http.Request.Query["after"].ToString() is { Length: > 0 } a ? a : null;
                if (after is { Length: > 200 }) return Results.Problem(statusCode: 400, title: "Bad cursor", detail: "after is a customer id of at most 200 characters.");
                var take = 1000;
                if (http.Request.Query["take"].ToString() is { Length: > 0 } t
                    && (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1 || take > CampaignRunner.MaxSendsPage))
                    return Results.Problem(statusCode: 400, title: "Bad take", detail: $"take is a whole number from 1 to {CampaignRunner.MaxSendsPage}.");
                if (await runner.GetAsync(id, ct) is null) return NoSuchRun(id);
                var page = await runner.SendsAsync(id, after, take, sentOnly: true, ct);
                return Results.Ok(new
                {
                    items = page.Select(SendJson),
                    next = page.Count == take ? $"/api/runs/{id}/sends?after={Uri.EscapeDataString(page[^1].CustomerId)}&take={take}" : null,
                });
            })
            .WithName("ListCampaignRunSends")
            .WithSummary("The run's send list a page at a time in customer id order (after: the last customer id of the previous page; take 1–5000, default 1000); next is the following page's address.")
            .ProducesProblem(400)
            .ProducesProblem(404);

        runs.MapGet("/{id:long}/sends.csv", async (long id, HttpContext http, CampaignRunner runner, CancellationToken ct) =>
            {
                if (await runner.GetAsync(id, ct) is null)
                {
                    await NoSuchRun(id).ExecuteAsync(http);
                    return;
                }
                http.Response.Headers.CacheControl = "no-store";
                await CsvResponse.WriteAsync(http, $"run-{id}-sends.csv", SendRows(runner.StreamSendsAsync(id, ct)), ct);
            })
            .WithName("DownloadCampaignRunSends")
            .WithSummary("The run's whole send list as CSV for the sending platform.")
            .ProducesProblem(404);

        runs.MapPost("/{id:long}/cancel", async (long id, HttpContext http, CampaignRunner runner, CancellationToken ct) =>
                await runner.GetAsync(id, ct) is null ? NoSuchRun(id)
                : await runner.CancelAsync(id, CampaignEndpoints.UserName(http.User), ct) ? Results.NoContent()
                : Results.Problem(statusCode: 409, title: "Not running", detail: $"Run {id} is not running; a finished run cannot be cancelled."))
            .RequireAuthorization(Access.EditCampaigns)
            .WithName("CancelCampaignRun")
            .WithSummary("Stops a running run for good; what it wrote stays.")
            .ProducesProblem(404)
            .ProducesProblem(409);

        var settings = app.MapGroup("/api/settings").WithTags("Settings");
        settings.MapGet("/global-holdout", async (GlobalHoldout holdout, CancellationToken ct) => Results.Ok(await holdout.GetAsync(ct)))
            .RequireAuthorization(Access.Campaigns)
            .WithName("GetGlobalHoldout")
            .WithSummary("The global holdout: the percent of all customers who receive no campaign.");
        settings.MapPut("/global-holdout", async (HoldoutBody body, HttpContext http, GlobalHoldout holdout, CancellationToken ct) =>
            {
                var change = await holdout.SetAsync(body.Percent, CampaignEndpoints.UserName(http.User), ct);
                return change.Saved is null
                    ? Results.Problem(statusCode: 400, title: "Holdout refused", detail: change.Problem)
                    : Results.Ok(new { setting = change.Saved, warning = change.Warning });
            })
            .RequireAuthorization(Access.ManageHoldout)
            .WithName("SetGlobalHoldout")
            .WithSummary("Sets the global holdout (1–15%); audited; the reply warns what the change does to who is held out.")
            .ProducesProblem(400);
        return app;
    }

    public sealed record HoldoutBody(double Percent);

    private static async IAsyncEnumerable<IEnumerable<string?>> SendRows(IAsyncEnumerable<CampaignSend> sends)
    {
        yield return ["send_id", "customer_id", "play_id", "variant", "channel", "content_ref", "arm", "send_at", "decided_at"];
        await foreach (var s in sends)
            yield return [CampaignRunner.SendId(s.RunId, s.CustomerId), s.CustomerId, s.PlayId, s.Variant, s.Channel, s.ContentRef, s.Arm,
                s.SendAt is { } at ? Iso(at) : null, Iso(s.DecidedAt)];
    }

    private static object SendJson(CampaignSend s) => new
    {
        sendId = CampaignRunner.SendId(s.RunId, s.CustomerId), customerId = s.CustomerId, playId = s.PlayId, variant = s.Variant, channel = s.Channel,
        contentRef = s.ContentRef, arm = s.Arm, sendAt = s.SendAt, decidedAt = s.DecidedAt,
    };

    public static object RunJson(CampaignRunView r) => new
    {
        id = r.Id, campaignId = r.CampaignId, occurrence = r.Occurrence, manual = r.Manual, campaignVersion = r.CampaignVersion, asOf = r.AsOf,
        holdoutPercent = r.HoldoutPercent, status = r.Status.ToString().ToLowerInvariant(), processed = r.Processed, targeted = r.Targeted, sent = r.Sent,
        missedOccurrences = r.Missed, requestedBy = r.RequestedBy, startedAt = r.StartedAt, finishedAt = r.FinishedAt, error = r.Error,
    };

    public static object CountsJson(CampaignRunCounts c) => new
    {
        customers = c.Customers, targeted = c.Targeted, sent = c.Sent, byArm = c.ByArm, byVariant = c.ByVariant, byChannel = c.ByChannel,
        byReason = c.ByReason, byPlay = c.ByPlay, stopped = c.Stopped, lostScore = c.LostScore,
        pressure = c.Pressure.Select(p => new { segmentId = p.SegmentId, channel = p.Channel, sent = p.Sent, stopped = p.Stopped, lostScore = p.LostScore }),
    };

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;

    private static string Iso(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static IResult NoSuchRun(long id) => Results.Problem(statusCode: 404, title: "No such run", detail: $"There is no campaign run {id}.");
}
