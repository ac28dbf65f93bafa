using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Campaigns;
using Workbench.Core.Playbook;
using Workbench.Core.Users;
using Workbench.Security;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

using static Workbench.Tests.TestSupport.ApiProblems;

namespace Workbench.Tests.Api;

// The campaigns API in-process on a store of its own with one use case and one active play.
public sealed class CampaignApiTests(WebAppFactory app) : IClassFixture<WebAppFactory>, IAsyncLifetime
{
    private static Campaign Weekly(string id = "") => new(id, "Weekly hello", "", CampaignStatus.Draft, CampaignStage.Pilot, ["hello"], [], ["email"],
        new CampaignSchedule(ScheduleKind.Recurring, Cron: "0 9 * * MON", TimeZone: "Europe/London"), 10,
        [new CampaignVariant("warm", 1, Theme: "warm"), new CampaignVariant("plain", 1, Theme: "plain")]);

    public async Task InitializeAsync()
    {
        var store = app.Services.GetRequiredService<PlaybookStore>();
        if (!await store.IsEmptyAsync(default)) return;
        var file = PlaybookJson.Export(new PlaybookFile(1,
            [new UseCase("uc-1", "Welcome", Objective.Welcome, "first purchase", "repeat", "t", UseCaseStatus.Active)], [PlaybookFixture.Play("hello")]));
        var imported = await store.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(file)), "fixture.json", "test", default);
        Assert.True(imported.Imported, string.Join("\n", imported.Problems));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static StringContent Body(Campaign c) => new(CampaignJson.Serialize(c), Encoding.UTF8, "application/json");


    [Fact]
    public async Task PostGetPut_CreatesADraft_SchedulesIt_AndAStaleVersionIs409()
    {
        var marketer = await app.TokenClientAsync(Roles.Marketer);
        var created = await marketer.PostAsync("/api/campaigns", Body(Weekly("api-weekly")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/campaigns/api-weekly", created.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);

        var viewer = await app.TokenClientAsync(Roles.Viewer);
        var got = await viewer.GetAsync("/api/campaigns/api-weekly");
        Assert.Equal("\"1\"", got.Headers.ETag?.Tag);
        var body = await got.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("draft", body.GetProperty("status").GetString());
        Assert.Equal("recurring", body.GetProperty("schedule").GetProperty("kind").GetString());

        var schedule = new HttpRequestMessage(HttpMethod.Put, "/api/campaigns/api-weekly") { Content = Body(Weekly("api-weekly") with { Status = CampaignStatus.Scheduled }) };
        schedule.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var scheduled = await marketer.SendAsync(schedule);
        Assert.Equal(HttpStatusCode.OK, scheduled.StatusCode);
        Assert.Equal("\"2\"", scheduled.Headers.ETag?.Tag);
        var list = await viewer.GetFromJsonAsync<JsonElement>("/api/campaigns?status=scheduled");
        Assert.Equal(["api-weekly"], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.NotEqual(JsonValueKind.Null, list.GetProperty("nextRuns").GetProperty("api-weekly").ValueKind);

        var stale = new HttpRequestMessage(HttpMethod.Put, "/api/campaigns/api-weekly") { Content = Body(Weekly("api-weekly") with { Name = "Mine", Status = CampaignStatus.Scheduled }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var conflict = await ProblemAsync(await marketer.SendAsync(stale), HttpStatusCode.Conflict);
        Assert.Equal(2, conflict.GetProperty("currentVersion").GetInt32());
        await ProblemAsync(await viewer.GetAsync("/api/campaigns/nope"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BadInput_400ProblemsNamingTheField_TooLarge413_UnknownFilter400()
    {
        var marketer = await app.TokenClientAsync(Roles.Marketer);
        var invalid = await ProblemAsync(await marketer.PostAsync("/api/campaigns", Body(Weekly() with { PlayIds = ["ghost"], ControlPercent = 80 })), HttpStatusCode.BadRequest);
        Assert.Equal(["playIds", "controlPercent"], invalid.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("field").GetString()));
        var typo = await ProblemAsync(await marketer.PostAsync("/api/campaigns",
            new StringContent("""{"id":"x","name":"x","owner":"","status":"draft","stage":"pilot","playIds":["hello"],"segmentIds":[],"channels":[],"schedule":{"kind":"one_off"},"controlPercent":5,"variants":[],"colour":"red"}""", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest);
        Assert.Contains("colour", typo.GetProperty("detail").GetString());
        var huge = new StringContent("{\"name\":\"" + new string('x', CampaignEndpointsLimit + 10) + "\"}", Encoding.UTF8, "application/json");
        await ProblemAsync(await marketer.PostAsync("/api/campaigns", huge), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("status is one of", (await ProblemAsync(await marketer.GetAsync("/api/campaigns?status=running"), HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
        await ProblemAsync(await marketer.GetAsync("/api/campaigns?take=501"), HttpStatusCode.BadRequest);
    }

    private const int CampaignEndpointsLimit = Workbench.Api.CampaignEndpoints.MaxCampaignBytes;

    [Fact]
    public async Task Writes_AViewerOrAnalystGets403_NoSignInGets401_ACookieNeedsTheTokenAndTheOwnOrigin()
    {
        foreach (var role in new[] { Roles.Viewer, Roles.Analyst })
            await ProblemAsync(await (await app.TokenClientAsync(role)).PostAsync("/api/campaigns", Body(Weekly())), HttpStatusCode.Forbidden);
        await ProblemAsync(await app.NewClient().GetAsync("/api/campaigns"), HttpStatusCode.Unauthorized);

        var cookie = await app.ClientAsync(Roles.Marketer);
        var token = await WebAppFactory.AntiforgeryTokenAsync(cookie);
        HttpRequestMessage Request(string? origin, string? antiforgery)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/campaigns") { Content = Body(Weekly("by-cookie")) };
            if (origin is not null) request.Headers.Add("Origin", origin);
            if (antiforgery is not null) request.Headers.Add(RequestForgeryProtection.TokenHeader, antiforgery);
            return request;
        }
        Assert.Contains("Antiforgery", (await ProblemAsync(await cookie.SendAsync(Request(WebAppFactory.OwnOrigin, null)), HttpStatusCode.Forbidden)).GetProperty("title").GetString());
        Assert.Contains("Cross-origin", (await ProblemAsync(await cookie.SendAsync(Request(WebAppFactory.OtherOrigin, token)), HttpStatusCode.Forbidden)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Created, (await cookie.SendAsync(Request(WebAppFactory.OwnOrigin, token))).StatusCode);
    }
}
