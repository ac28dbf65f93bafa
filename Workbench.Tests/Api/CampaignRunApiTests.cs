using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Campaigns;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Core.Users;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

using static Workbench.Tests.TestSupport.ApiProblems;

namespace Workbench.Tests.Api;

// Runs through the API on a store of its own: 40 customers with e-mail consent and one service play (a service message
// is exempt from caps and quiet hours, so every treated customer is sent whatever the hour the test runs at).
public sealed class CampaignRunApiTests(WebAppFactory app) : IClassFixture<WebAppFactory>, IAsyncLifetime
{
    private const int Customers = 40;

    public async Task InitializeAsync()
    {
        var store = app.Services.GetRequiredService<PlaybookStore>();
        if (!await store.IsEmptyAsync(default)) return;
        var customers = new StringBuilder("customer_id,first_name,email\n");
        var consents = new StringBuilder("customer_id,channel,status,updated_at,source\n");
        for (var i = 0; i < Customers; i++)
        {
            customers.Append($"R{i:D2},Rae,r{i}@example.com\n");
            consents.Append($"R{i:D2},email,granted,2026-01-01T00:00:00Z,web\n");
        }
        await app.ImportAsync((ImportKind.Customers, customers.ToString()), (ImportKind.Consents, consents.ToString()));
        var play = PlaybookFixture.Play("receipt") with { UseCaseId = "uc-svc", Trigger = new ScheduledTrigger("* * * * *", 1), CooldownDays = 0 };
        var file = PlaybookJson.Export(new PlaybookFile(1,
            [new UseCase("uc-svc", "Receipts", Objective.Service, "after an order", "support calls", "t", UseCaseStatus.Active)], [play]));
        var imported = await store.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(file)), "fixture.json", "test", default);
        Assert.True(imported.Imported, string.Join("\n", imported.Problems));
        var campaigns = app.Services.GetRequiredService<CampaignStore>();
        foreach (var id in new[] { "svc-run", "svc-draft" })
        {
            var created = (await campaigns.CreateAsync(new Campaign(id, id, "", CampaignStatus.Draft, CampaignStage.Pilot, ["receipt"], [], ["email"],
                new CampaignSchedule(ScheduleKind.Recurring, Cron: "0 9 * * MON", TimeZone: "Europe/London"), 20,
                [new CampaignVariant("a", 1), new CampaignVariant("b", 1)]), "t", default)).Saved!;
            if (id == "svc-run") Assert.NotNull((await campaigns.UpdateAsync(created with { Status = CampaignStatus.Scheduled }, 1, "t", default)).Saved);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;


    [Fact]
    public async Task StartARun_WatchItFinish_PageItsSends_AndDownloadThemAsCsv()
    {
        var marketer = await app.TokenClientAsync(Roles.Marketer);
        var viewer = await app.TokenClientAsync(Roles.Viewer);
        await ProblemAsync(await viewer.PostAsync("/api/campaigns/svc-run/runs", null), HttpStatusCode.Forbidden);
        var draft = await ProblemAsync(await marketer.PostAsync("/api/campaigns/svc-draft/runs", null), HttpStatusCode.Conflict);
        Assert.Contains("is draft", draft.GetProperty("detail").GetString());
        await ProblemAsync(await marketer.PostAsync("/api/campaigns/nope/runs", null), HttpStatusCode.NotFound);

        var dry = await marketer.PostAsync("/api/campaigns/svc-run/runs?dryRun=true", null);
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var dryCounts = await dry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Customers, dryCounts.GetProperty("targeted").GetInt32());

        var started = await marketer.PostAsync("/api/campaigns/svc-run/runs", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal($"/api/runs/{id}", started.Headers.Location?.OriginalString);
        JsonElement run = default;
        for (var i = 0; i < 100; i++)
        {
            run = await viewer.GetFromJsonAsync<JsonElement>($"/api/runs/{id}");
            if (run.GetProperty("run").GetProperty("status").GetString() != "running") break;
            await Task.Delay(100);
        }
        Assert.Equal("succeeded", run.GetProperty("run").GetProperty("status").GetString());
        var counts = run.GetProperty("counts");
        var sent = counts.GetProperty("sent").GetInt32();
        // Everyone is targeted; the holdout and the control get nothing; the dry run said the same.
        Assert.Equal(Customers, counts.GetProperty("targeted").GetInt32());
        Assert.Equal(dryCounts.GetProperty("sent").GetInt32(), sent);
        var held = counts.GetProperty("byArm").EnumerateObject().Where(a => a.Name is "control" or "global_holdout").Sum(a => a.Value.GetInt32());
        Assert.Equal(Customers - held, sent);
        Assert.True(sent > 10, $"{sent} sent");

        var ids = new List<string>();
        string? next = $"/api/runs/{id}/sends?take=7";
        while (next is not null)
        {
            var page = await viewer.GetAsync(next);
            Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
            var body = await page.Content.ReadFromJsonAsync<JsonElement>();
            foreach (var item in body.GetProperty("items").EnumerateArray())
            {
                Assert.Equal($"{id}-{item.GetProperty("customerId").GetString()}", item.GetProperty("sendId").GetString());
                Assert.Equal("email", item.GetProperty("channel").GetString());
                ids.Add(item.GetProperty("customerId").GetString()!);
            }
            next = body.GetProperty("next").ValueKind == JsonValueKind.Null ? null : body.GetProperty("next").GetString();
        }
        Assert.Equal(sent, ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);

        var csv = await viewer.GetAsync($"/api/runs/{id}/sends.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("send_id,customer_id,play_id,variant,channel,content_ref,arm,send_at,decided_at", lines[0].TrimEnd('\r'));
        Assert.Equal(sent, lines.Length - 1);

        await ProblemAsync(await viewer.GetAsync($"/api/runs/{id}/sends?take=0"), HttpStatusCode.BadRequest);
        await ProblemAsync(await viewer.GetAsync("/api/runs/99999/sends"), HttpStatusCode.NotFound);
        await ProblemAsync(await marketer.PostAsync($"/api/runs/{id}/cancel", null), HttpStatusCode.Conflict);
        var list = await viewer.GetFromJsonAsync<JsonElement>("/api/campaigns/svc-run/runs");
        Assert.Contains(list.EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
    }

    // A sending platform's webhooks: a batch of outcomes joins its sends, a batch naming an unknown send is refused whole.
    [Fact]
    public async Task Outcomes_PostedAsABatch_JoinTheirSends_AndAnUnknownSendRefusesTheBatch()
    {
        var runner = app.Services.GetRequiredService<CampaignRunner>();
        var campaign = (await app.Services.GetRequiredService<CampaignStore>().GetAsync("svc-run", default))!;
        // An occurrence of its own: a manual run is claimed at this second, and the API test's "Run now" in the same second
        // would be refused as the same run (409) if this one took it.
        var run = (await runner.ClaimAsync(campaign, new DateTime(2026, 1, 1, 0, 0, 7, DateTimeKind.Utc), manual: true, missed: 0, "t", default))!.Value;
        Assert.True(await runner.ExecuteAsync(run, null, default));
        var sent = (await runner.SendsAsync(run, null, 100, sentOnly: true, default)).Select(s => CampaignRunner.SendId(run, s.CustomerId)).ToList();
        Assert.True(sent.Count >= 2);
        var marketer = await app.TokenClientAsync(Roles.Marketer);
        var analyst = await app.TokenClientAsync(Roles.Analyst);
        static StringContent Batch(IEnumerable<string> items) => new("[" + string.Join(",", items) + "]", Encoding.UTF8, "application/json");

        var bad = await ProblemAsync(await marketer.PostAsync("/api/outcomes", Batch([
            $$"""{"send_id": "{{sent[0]}}", "opened_at": "2026-12-01T11:00:00Z"}""",
            $$"""{"send_id": "{{run}}-NOBODY", "opened_at": "2026-12-01T11:00:00Z"}"""])), HttpStatusCode.BadRequest);
        var problem = Assert.Single(bad.GetProperty("problems").EnumerateArray());
        Assert.Equal((2, "send_id"), (problem.GetProperty("outcome").GetInt32(), problem.GetProperty("field").GetString()));
        Assert.Contains("in no run's send list", problem.GetProperty("message").GetString());
        var none = await analyst.GetFromJsonAsync<JsonElement>($"/api/runs/{run}/outcomes");
        Assert.All(none.EnumerateArray(), a => Assert.Equal(0, a.GetProperty("withOutcome").GetInt32()));

        var good = sent.Select(id => $$"""{"send_id": "{{id}}", "delivered_at": "2026-12-01T10:01:00Z", "converted_at": "2026-12-02T09:00:00Z", "revenue": 12.5, "margin": 4}""").ToList();
        var ok = await marketer.PostAsync("/api/outcomes", Batch(good));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(sent.Count, (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("inserted").GetInt32());
        var arms = (await analyst.GetFromJsonAsync<JsonElement>($"/api/runs/{run}/outcomes")).EnumerateArray().ToList();
        Assert.Equal(sent.Count, arms.Sum(a => a.GetProperty("converted").GetInt32()));
        Assert.Equal(12.5 * sent.Count, arms.Sum(a => a.GetProperty("revenue").GetDouble()), 9);
        Assert.Equal(0, arms.Single(a => a.GetProperty("arm").GetString() == "control").GetProperty("sent").GetInt32());
        await ProblemAsync(await analyst.GetAsync("/api/runs/99999/outcomes"), HttpStatusCode.NotFound);
        await ProblemAsync(await analyst.PostAsync("/api/outcomes", Batch(good)), HttpStatusCode.Forbidden);

        // The results from attributed purchases (nobody bought: every arm 0), the window range-checked.
        var results = await analyst.GetFromJsonAsync<JsonElement>($"/api/runs/{run}/results?windowDays=14");
        Assert.Equal(14, results.GetProperty("windowDays").GetInt32());
        Assert.Contains("Benjamini–Hochberg", results.GetProperty("rule").GetString());
        var resultArms = results.GetProperty("arms").EnumerateArray().ToList();
        Assert.Contains(resultArms, a => a.GetProperty("arm").GetString() == "control");
        Assert.All(resultArms, a => Assert.Equal(0, a.GetProperty("converters").GetInt32()));
        Assert.Equal(resultArms.Sum(a => a.GetProperty("customers").GetInt32()), arms.Sum(a => a.GetProperty("targeted").GetInt32()));
        await ProblemAsync(await analyst.GetAsync($"/api/runs/{run}/results?windowDays=0"), HttpStatusCode.BadRequest);
        await ProblemAsync(await analyst.GetAsync("/api/runs/99999/results"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GlobalHoldout_AdminsChangeItWithinItsRange_OthersRead()
    {
        var viewer = await app.TokenClientAsync(Roles.Viewer);
        var marketer = await app.TokenClientAsync(Roles.Marketer);
        var admin = await app.TokenClientAsync(Roles.Admin);
        var read = await viewer.GetFromJsonAsync<JsonElement>("/api/settings/global-holdout");
        Assert.True(read.GetProperty("percent").GetDouble() is >= 1 and <= 15);

        await ProblemAsync(await marketer.PutAsJsonAsync("/api/settings/global-holdout", new { percent = 6 }), HttpStatusCode.Forbidden);
        var refused = await ProblemAsync(await admin.PutAsJsonAsync("/api/settings/global-holdout", new { percent = 40 }), HttpStatusCode.BadRequest);
        Assert.Contains("1–15%", refused.GetProperty("detail").GetString());
        var before = read.GetProperty("percent").GetDouble();
        var set = await admin.PutAsJsonAsync("/api/settings/global-holdout", new { percent = before == 6 ? 7 : 6 });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Contains("reshuffled", (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("warning").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/settings/global-holdout", new { percent = before })).StatusCode);
    }
}
