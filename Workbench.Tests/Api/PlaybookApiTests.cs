using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Api;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Core.Users;
using Workbench.Security;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

using static Workbench.Tests.TestSupport.ApiProblems;

namespace Workbench.Tests.Api;

// The playbook API in-process on a store of its own: three customers, a use case and two active plays.
public sealed class PlaybookApiTests(WebAppFactory app) : IClassFixture<WebAppFactory>, IAsyncLifetime
{
    private const string Customers = """
        customer_id,first_name,last_name,email,phone,loyalty_tier,loyalty_points
        W1,Wendy,Stone,wendy@example.com,+44 7700 900123,Gold,300
        W2,wendy2@example.com,+44 7700 900456,wendy2@example.com,+44 7700 900456,,
        W3,Nobody,Asked,w3@example.com,,,
        """;

    private const string Consents = """
        customer_id,channel,status,updated_at,source
        W1,email,granted,2026-01-01T00:00:00Z,web
        W1,sms,granted,2026-01-01T00:00:00Z,web
        W2,email,granted,2026-01-01T00:00:00Z,web
        W2,sms,granted,2026-01-01T00:00:00Z,web
        """;

    private static readonly UseCase Welcome = new("uc-1", "Welcome", Objective.Welcome, "first purchase", "repeat", "t", UseCaseStatus.Active);

    private static Play Hello => PlaybookFixture.Play("hello") with
    {
        Name = "Hello everyone",
        Trigger = new ScheduledTrigger("* * * * *", 1),
        Priority = 90,
        Content =
        [
            new ChannelContent("email", [new CreativeVariant("standard", Subject: "Hi {{ first_name }}", Html: "<p>{{ first_name }} {{ last_name }}</p>")]),
            new ChannelContent("sms", [new CreativeVariant("standard", Text: "Hi {{ first_name }} {{ last_name }}")]),
        ],
    };

    private static Play Members => PlaybookFixture.Play("members") with
    {
        Name = "Members' early access",
        Trigger = new ScheduledTrigger("* * * * *", 1),
        Offer = new Offer(OfferKind.MemberAccess, "early access", ValidTo: new DateOnly(2099, 12, 31), CostPerRedemption: 1, MembersOnly: true),
        Priority = 10,
    };

    private static Play Draft(string id) => PlaybookFixture.Play(id) with { Status = PlayStatus.Draft };

    public async Task InitializeAsync()
    {
        var store = app.Services.GetRequiredService<PlaybookStore>();
        if (!await store.IsEmptyAsync(default)) return;
        await app.ImportAsync((ImportKind.Customers, Customers), (ImportKind.Consents, Consents));
        var file = PlaybookJson.Export(new PlaybookFile(1, [Welcome], [Hello, Members, Draft("sleeping")]));
        var imported = await store.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(file)), "fixture.json", "test", default);
        Assert.True(imported.Imported, string.Join("\n", imported.Problems));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpClient> TokenClientAsync(string role) => app.TokenClientAsync(role);

    private static StringContent Body(Play play) => new(PlaybookJson.Serialize(play), Encoding.UTF8, "application/json");


    private static string[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];

    [Fact]
    public async Task List_FiltersAsQueryParameters_AndRefusesWhatIsOutOfRange()
    {
        var viewer = await TokenClientAsync(Roles.Viewer);

        var active = await viewer.GetFromJsonAsync<JsonElement>("/api/plays?status=active&objective=welcome&take=10");
        var sms = await viewer.GetFromJsonAsync<JsonElement>("/api/plays?channel=sms&search=HELLO");

        Assert.Equal(["hello", "members"], Ids(active));
        Assert.Equal(2, active.GetProperty("total").GetInt32());
        Assert.Equal("welcome", active.GetProperty("items")[0].GetProperty("objective").GetString());
        Assert.Equal(["hello"], Ids(sms));
        foreach (var (query, says) in new[] { ("take=0", "take is 1 to 500"), ("take=501", "take is 1 to 500"), ("skip=-1", "skip is 0 to"),
                     ("objective=sales", "objective is one of welcome, grow"), ("status=live", "status is one of draft, in_review"),
                     ("triggerKind=cron", "triggerKind is one of event"), ("segmentId=x", "segmentId is a whole number"), ("take=ten", "take is a whole number"),
                     ($"search={new string('a', 201)}", "search is at most 200 characters") })
        {
            var problem = await ProblemAsync(await viewer.GetAsync("/api/plays?" + query), HttpStatusCode.BadRequest);
            Assert.StartsWith(says, problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Get_ThePlayWithItsVersionAsETag_AndAnUnknownIdIs404Problem()
    {
        var viewer = await TokenClientAsync(Roles.Viewer);

        var response = await viewer.GetAsync("/api/plays/hello");
        var missing = await viewer.GetAsync("/api/plays/nope");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(PlaybookJson.Serialize(Hello), await response.Content.ReadAsStringAsync());
        Assert.Equal("There is no play 'nope'.", (await ProblemAsync(missing, HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        var openApi = await viewer.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/plays/{id}", openApi);
        Assert.Contains("/api/customers/{id}/plays", openApi);
    }

    [Fact]
    public async Task Post_AsMarketer_Creates201WithLocationAndETag_AndRefusesInvalidPlaysWith400ListingTheMessages()
    {
        var marketer = await TokenClientAsync(Roles.Marketer);

        var created = await marketer.PostAsync("/api/plays", Body(Draft("") with { Name = "Made by the API" }));
        var active = await marketer.PostAsync("/api/plays", Body(PlaybookFixture.Play("made-active")));
        var nameless = await marketer.PostAsync("/api/plays", Body(Draft("nameless") with { Name = "" }));
        var typo = await marketer.PostAsync("/api/plays", new StringContent("{\n \"idd\": 1\n}", Encoding.UTF8, "application/json"));
        var huge = await marketer.PostAsync("/api/plays", new StringContent(new string(' ', PlaybookEndpoints.MaxPlayBytes + 1), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/plays/made-by-the-api", created.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("made-by-the-api", "draft"), (body.GetProperty("play").GetProperty("id").GetString(), body.GetProperty("play").GetProperty("status").GetString()));
        Assert.Equal(WebAppFactory.UserNameFor(Roles.Marketer), (await app.Services.GetRequiredService<PlaybookStore>().HistoryAsync("made-by-the-api", default))[0].ChangedBy);
        var refused = await ProblemAsync(active, HttpStatusCode.BadRequest);
        Assert.Equal("status", refused.GetProperty("problems")[0].GetProperty("field").GetString());
        Assert.Equal("error", refused.GetProperty("problems")[0].GetProperty("severity").GetString());
        Assert.Contains((await ProblemAsync(nameless, HttpStatusCode.BadRequest)).GetProperty("problems").EnumerateArray(), p => p.GetProperty("field").GetString() == "name");
        Assert.Contains("line 2", (await ProblemAsync(typo, HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
        await ProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Put_ExpectedVersionFromIfMatchOrTheBody_AStaleOneIs409WithTheCurrentVersion()
    {
        var marketer = await TokenClientAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.Created, (await marketer.PostAsync("/api/plays", Body(Draft("edited")))).StatusCode);

        var byBody = await marketer.PutAsync("/api/plays/edited", Body(Draft("edited") with { Name = "Second" }));
        var stale = new HttpRequestMessage(HttpMethod.Put, "/api/plays/edited") { Content = Body(Draft("edited") with { Name = "Third", Version = 2 }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var conflict = await marketer.SendAsync(stale);
        var current = new HttpRequestMessage(HttpMethod.Put, "/api/plays/edited") { Content = Body(Draft("edited") with { Name = "Third", Version = 1 }) };
        current.Headers.IfMatch.Add(new EntityTagHeaderValue("\"2\""));
        var saved = await marketer.SendAsync(current);
        var mismatch = await marketer.PutAsync("/api/plays/edited", Body(Draft("other")));
        var unknown = await marketer.PutAsync("/api/plays/nope", Body(Draft("nope")));
        var badMove = await marketer.PutAsync("/api/plays/edited", Body(Draft("edited") with { Status = PlayStatus.Active, Version = 3 }));

        Assert.Equal(HttpStatusCode.OK, byBody.StatusCode);
        Assert.Equal("\"2\"", byBody.Headers.ETag?.Tag);
        var problem = await ProblemAsync(conflict, HttpStatusCode.Conflict);
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt32());
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(3, (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("play").GetProperty("version").GetInt32());
        await ProblemAsync(mismatch, HttpStatusCode.BadRequest);
        await ProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.Contains("cannot become active", (await ProblemAsync(badMove, HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Writes_AViewerOrAnalystGets403_NoSignInGets401_AsProblems()
    {
        foreach (var role in new[] { Roles.Viewer, Roles.Analyst })
        {
            var client = await TokenClientAsync(role);
            await ProblemAsync(await client.PostAsync("/api/plays", Body(Draft("x"))), HttpStatusCode.Forbidden);
            await ProblemAsync(await client.PutAsync("/api/plays/hello", Body(Hello)), HttpStatusCode.Forbidden);
        }
        var anonymous = app.NewClient();
        await ProblemAsync(await anonymous.GetAsync("/api/plays"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await anonymous.PostAsync("/api/plays", Body(Draft("x"))), HttpStatusCode.Unauthorized);
        await ProblemAsync(await anonymous.GetAsync("/api/customers/W1/plays"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CookiePostAndPut_NeedTheAntiforgeryTokenAndTheOwnOrigin()
    {
        var cookie = await app.ClientAsync(Roles.Marketer);
        var token = await WebAppFactory.AntiforgeryTokenAsync(cookie);
        HttpRequestMessage Request(HttpMethod method, string path, Play play, string? origin, string? antiforgery)
        {
            var request = new HttpRequestMessage(method, path) { Content = Body(play) };
            if (origin is not null) request.Headers.Add("Origin", origin);
            if (antiforgery is not null) request.Headers.Add(RequestForgeryProtection.TokenHeader, antiforgery);
            return request;
        }

        var noToken = await cookie.SendAsync(Request(HttpMethod.Post, "/api/plays", Draft("by-cookie"), WebAppFactory.OwnOrigin, null));
        var otherOrigin = await cookie.SendAsync(Request(HttpMethod.Post, "/api/plays", Draft("by-cookie"), WebAppFactory.OtherOrigin, token));
        var putNoToken = await cookie.SendAsync(Request(HttpMethod.Put, "/api/plays/hello", Hello with { Name = "x" }, WebAppFactory.OwnOrigin, null));
        var ok = await cookie.SendAsync(Request(HttpMethod.Post, "/api/plays", Draft("by-cookie"), WebAppFactory.OwnOrigin, token));

        Assert.Contains("Antiforgery", (await ProblemAsync(noToken, HttpStatusCode.Forbidden)).GetProperty("title").GetString());
        Assert.Contains("Cross-origin", (await ProblemAsync(otherOrigin, HttpStatusCode.Forbidden)).GetProperty("title").GetString());
        Assert.Contains("Antiforgery", (await ProblemAsync(putNoToken, HttpStatusCode.Forbidden)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal("Hello everyone", (await app.Services.GetRequiredService<PlaybookStore>().GetAsync("hello", default))!.Name);
    }

    [Fact]
    public async Task CustomerPlays_EligibleOnesRendered_OthersWithTheFirstBlockingReason_NotStored()
    {
        var analyst = await TokenClientAsync(Roles.Analyst);

        var response = await analyst.GetAsync("/api/customers/W1/plays?channel=email");
        var w2 = await analyst.GetFromJsonAsync<JsonElement>("/api/customers/W2/plays?channel=email");
        var w3 = await analyst.GetFromJsonAsync<JsonElement>("/api/customers/W3/plays");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var w1 = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, w1.GetProperty("activePlays").GetInt32());
        // Priority order: hello (90) before members (10); the draft is no active play.
        var eligible = w1.GetProperty("eligible").EnumerateArray().ToList();
        Assert.Equal(["hello", "members"], eligible.Select(e => e.GetProperty("playId").GetString()));
        Assert.Equal("<p>Wendy Stone</p>", eligible[0].GetProperty("message").GetProperty("html").GetString());
        Assert.Contains(eligible[0].GetProperty("reasons").EnumerateArray(), r => r.GetProperty("kind").GetString() == "consent" && r.GetProperty("allowed").GetBoolean());
        Assert.Empty(w1.GetProperty("notEligible").EnumerateArray());
        // W2 has no loyalty tier: the members-only offer stops at that reason.
        var blocked = Assert.Single(w2.GetProperty("notEligible").EnumerateArray());
        Assert.Equal(("members", "offer", "no loyalty tier"), (blocked.GetProperty("playId").GetString(),
            blocked.GetProperty("firstBlocking").GetProperty("kind").GetString(), blocked.GetProperty("firstBlocking").GetProperty("customerValue").GetString()));
        Assert.False(blocked.TryGetProperty("message", out _));
        // Without a channel, each channel a play allows; W3 gave no consent anywhere.
        Assert.Empty(w3.GetProperty("eligible").EnumerateArray());
        Assert.Equal(4, w3.GetProperty("notEligible").GetArrayLength());
        Assert.All(w3.GetProperty("notEligible").EnumerateArray(), p => Assert.Equal("no consent recorded", p.GetProperty("firstBlocking").GetProperty("customerValue").GetString()));
        await ProblemAsync(await analyst.GetAsync("/api/customers/NOPE/plays"), HttpStatusCode.NotFound);
        await ProblemAsync(await analyst.GetAsync("/api/customers/W1/plays?channel=fax"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CustomerPlays_ForAViewer_TheContactDetailsAreMaskedWhereverAMessageQuotesThem()
    {
        var viewer = await (await TokenClientAsync(Roles.Viewer)).GetFromJsonAsync<JsonElement>("/api/customers/W2/plays?channel=sms");
        var viewerEmail = await (await TokenClientAsync(Roles.Viewer)).GetFromJsonAsync<JsonElement>("/api/customers/W2/plays?channel=email");
        var analyst = await (await TokenClientAsync(Roles.Analyst)).GetFromJsonAsync<JsonElement>("/api/customers/W2/plays?channel=sms");

        string Text(JsonElement reply) => reply.GetProperty("eligible")[0].GetProperty("message").GetProperty("text").GetString()!;

        // W2's first and last name hold their e-mail address and phone number (as typed into the wrong fields).
        Assert.Equal("Hi wendy2@example.com +44 7700 900456", Text(analyst));
        Assert.Equal("Hi w***@example.com +44 *** *** 456", Text(viewer));
        var html = viewerEmail.GetProperty("eligible")[0].GetProperty("message").GetProperty("html").GetString()!;
        Assert.Equal("<p>w***@example.com &#x2B;44 *** *** 456</p>", html);
        Assert.Equal("Hi w***@example.com", viewerEmail.GetProperty("eligible")[0].GetProperty("message").GetProperty("subject").GetString());
    }

    [Fact]
    public void KnownPlaybookEndpoints_HaveTheAgreedRoles()
    {
        Assert.Equal(Roles.All, Access.RolesByPolicy[Access.Playbook]);
        Assert.Equal(Access.RolesByPolicy[Access.ViewCustomers], Access.RolesByPolicy[Access.Playbook]);
        Assert.Equal([Roles.Admin, Roles.Marketer], Access.RolesByPolicy[Access.EditPlaybook]);
    }
}
