using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Core.Users;
using Workbench.Tests.TestSupport;

using static Workbench.Tests.TestSupport.ApiProblems;

namespace Workbench.Tests.Api;

// POST /api/events on a store of its own with two customers: the events importer's validation, all or nothing.
public sealed class EventApiTests(WebAppFactory app) : IClassFixture<WebAppFactory>, IAsyncLifetime
{
    public async Task InitializeAsync() => await app.ImportAsync((ImportKind.Customers, "customer_id,first_name\nE1,Eve\nE2,Eli\n"),
        (ImportKind.Products, "sku,name,category,price\nSKU-1,Trowel,Garden,5\n"));

    public Task DisposeAsync() => Task.CompletedTask;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<long> EventsAsync()
    {
        await using var connection = new SqliteConnection(app.Services.GetRequiredService<StoreLocation>().ConnectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM events WHERE customer_id IN ('E1', 'E2')";
        return (long)(await cmd.ExecuteScalarAsync())!;
    }


    [Fact]
    public async Task ABatch_IsImportedWhole_OrRefusedWhole_WithEachProblemByEventAndField()
    {
        var marketer = await app.TokenClientAsync(Roles.Marketer);
        var before = await EventsAsync();

        // The second event has no time and a channel that is not one: nothing of the batch is written.
        var bad = await ProblemAsync(await marketer.PostAsync("/api/events", Json("""
            [{"event_id": "ev-1", "customer_id": "E1", "occurred_at": "2026-11-30T10:00:00Z", "type": "cart_abandon", "sku": "SKU-1"},
             {"event_id": "ev-2", "customer_id": "E2", "type": "page_view", "channel": "carrier-pigeon"}]
            """)), HttpStatusCode.BadRequest);
        var problems = bad.GetProperty("problems").EnumerateArray().ToList();
        Assert.Contains(problems, p => p.GetProperty("event").GetInt64() == 2 && p.GetProperty("field").GetString() == "occurred_at");
        Assert.Contains(problems, p => p.GetProperty("event").GetInt64() == 2 && p.GetProperty("field").GetString() == "channel");
        Assert.DoesNotContain(problems, p => p.GetProperty("event").GetInt64() == 1);
        Assert.Equal(before, await EventsAsync());

        var ok = await marketer.PostAsync("/api/events", Json("""
            [{"event_id": "ev-1", "customer_id": "E1", "occurred_at": "2026-11-30T10:00:00Z", "type": "cart_abandon", "sku": "SKU-1", "category": "Garden"},
             {"event_id": "ev-2", "customer_id": "E2", "occurred_at": "2026-11-30T10:05:00Z", "type": "page_view", "channel": null}]
            """));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2, 2), (body.GetProperty("received").GetInt32(), body.GetProperty("inserted").GetInt32()));
        Assert.Equal(before + 2, await EventsAsync());
    }

    [Fact]
    public async Task WhatIsNotABatch_IsRefusedNamingWhy_AndOnlyImportersMayPost()
    {
        var marketer = await app.TokenClientAsync(Roles.Marketer);
        Assert.Contains("JSON array", (await ProblemAsync(await marketer.PostAsync("/api/events", Json("""{"customer_id": "E1"}""")), HttpStatusCode.BadRequest))
            .GetProperty("detail").GetString());
        Assert.Contains("unknown field 'colour'", (await ProblemAsync(await marketer.PostAsync("/api/events",
            Json("""[{"customer_id": "E1", "occurred_at": "2026-11-30T10:00:00Z", "type": "x", "colour": "red"}]""")), HttpStatusCode.BadRequest))
            .GetProperty("detail").GetString());
        Assert.Contains("not JSON", (await ProblemAsync(await marketer.PostAsync("/api/events", Json("[{")), HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
        Assert.Contains("no events", (await ProblemAsync(await marketer.PostAsync("/api/events", Json("[]")), HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
        var many = "[" + string.Join(",", Enumerable.Repeat("""{"customer_id":"E1","occurred_at":"2026-11-30T10:00:00Z","type":"x"}""", 10_001)) + "]";
        Assert.Contains("at most 10,000 events", (await ProblemAsync(await marketer.PostAsync("/api/events", Json(many)), HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
        await ProblemAsync(await marketer.PostAsync("/api/events", Json("[" + new string(' ', 1024 * 1024) + "]")), HttpStatusCode.RequestEntityTooLarge);

        var analyst = await app.TokenClientAsync(Roles.Analyst);
        await ProblemAsync(await analyst.PostAsync("/api/events", Json("""[{"customer_id": "E1", "occurred_at": "2026-11-30T10:00:00Z", "type": "x"}]""")), HttpStatusCode.Forbidden);
    }
}
