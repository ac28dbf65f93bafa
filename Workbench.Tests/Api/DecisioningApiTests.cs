using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Core.Users;
using Workbench.Security;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Api;

// The next-best-action API in-process: D1 reachable on e-mail and SMS, D2 with an e-mail address the quality rules
// refuse, one active play for everyone on both channels. The clock is the real one, so whether quiet hours stop the
// message depends on the hour: these tests read the verdicts and the trace, which do not.
public sealed class DecisioningApiTests(WebAppFactory app) : IClassFixture<WebAppFactory>, IAsyncLifetime
{
    private const string Customers = """
        customer_id,first_name,last_name,email,phone,loyalty_tier,loyalty_points
        D1,Dana,Reed,dana@example.com,+44 7700 900123,Gold,300
        D2,Dev,Null,not-an-email,+44 7700 900456,,
        """;

    private const string Consents = """
        customer_id,channel,status,updated_at,source
        D1,email,granted,2026-01-01T00:00:00Z,web
        D1,sms,granted,2026-01-01T00:00:00Z,web
        D2,email,granted,2026-01-01T00:00:00Z,web
        D2,sms,granted,2026-01-01T00:00:00Z,web
        """;

    public async Task InitializeAsync()
    {
        var store = app.Services.GetRequiredService<PlaybookStore>();
        if (!await store.IsEmptyAsync(default)) return;
        await app.ImportAsync((ImportKind.Customers, Customers), (ImportKind.Consents, Consents));
        var hello = PlaybookFixture.Play("hello") with { UseCaseId = "uc-1", Trigger = new ScheduledTrigger("* * * * *", 1), ExpectedValue = 12 };
        var file = PlaybookJson.Export(new PlaybookFile(1, [new UseCase("uc-1", "Grow", Objective.Grow, "any", "orders", "t", UseCaseStatus.Active)], [hello]));
        var imported = await store.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(file)), "fixture.json", "test", default);
        Assert.True(imported.Imported, string.Join("\n", imported.Problems));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpClient> TokenClientAsync(string role) => app.TokenClientAsync(role);

    [Fact]
    public async Task NextBestAction_ScoresTheEligiblePlayOnEachChannel_WithItsFactorsAndTrace_NotCached()
    {
        var viewer = await TokenClientAsync(Roles.Viewer);

        var response = await viewer.GetAsync("/api/customers/D1/next-best-action");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var result = body.GetProperty("result");
        var verdicts = result.GetProperty("verdicts").EnumerateArray().ToList();
        Assert.Equal(["hello/email", "hello/sms"], verdicts.Select(v => v.GetProperty("playId").GetString() + "/" + v.GetProperty("channel").GetString()));
        Assert.All(verdicts, v => Assert.True(v.GetProperty("eligible").GetBoolean()));
        // No outcomes yet: the stated default 2%; value = the play's expected value 12 (no predicted value).
        var factors = verdicts[0].GetProperty("factors");
        Assert.Equal((0.02, 12.0), (factors.GetProperty("propensity").GetDouble(), factors.GetProperty("value").GetDouble()));
        Assert.Equal(["email", "sms"], result.GetProperty("channelOrder").EnumerateArray().Select(c => c.GetString()));
        Assert.NotEmpty(result.GetProperty("decision").GetProperty("trace").EnumerateArray());
    }

    [Fact]
    public async Task NextBestAction_AnEmailAddressThatFailsDataQuality_BlocksEmailWithThatReason()
    {
        var marketer = await TokenClientAsync(Roles.Marketer);

        var body = await marketer.GetFromJsonAsync<JsonElement>("/api/customers/D2/next-best-action");

        var email = body.GetProperty("result").GetProperty("verdicts").EnumerateArray().Single(v => v.GetProperty("channel").GetString() == "email");
        Assert.False(email.GetProperty("eligible").GetBoolean());
        Assert.Equal("the email contact point fails data quality: the e-mail address is not valid", email.GetProperty("firstBlocking").GetString());
        Assert.Equal(["sms"], body.GetProperty("result").GetProperty("channelOrder").EnumerateArray().Select(c => c.GetString()));
        Assert.DoesNotContain("not-an-email", body.GetRawText());
    }

    // The default trace keeps, per play and channel, the rule that blocks it (none for a play that can go); trace=full
    // every rule with the customer's value, as the Why this offer page. Replies are compact JSON.
    [Fact]
    public async Task NextBestAction_CompactTraceByDefault_FullTraceOnRequest()
    {
        var analyst = await TokenClientAsync(Roles.Analyst);

        var compactText = await analyst.GetStringAsync("/api/customers/D2/next-best-action?channel=sms");
        var fullText = await analyst.GetStringAsync("/api/customers/D2/next-best-action?channel=sms&trace=full");
        var explicitCompact = await analyst.GetFromJsonAsync<JsonElement>("/api/customers/D2/next-best-action?channel=sms&trace=compact");

        JsonElement Verdict(JsonElement body) => body.GetProperty("result").GetProperty("verdicts").EnumerateArray().Single();
        var compact = Verdict(JsonDocument.Parse(compactText).RootElement);
        var full = Verdict(JsonDocument.Parse(fullText).RootElement);
        Assert.True(compact.GetProperty("eligible").GetBoolean());
        Assert.Empty(compact.GetProperty("playbook").GetProperty("reasons").EnumerateArray());
        Assert.Empty(Verdict(explicitCompact).GetProperty("playbook").GetProperty("reasons").EnumerateArray());
        var reasons = full.GetProperty("playbook").GetProperty("reasons").EnumerateArray().ToList();
        Assert.Contains(reasons, r => r.GetProperty("kind").GetString() == "consent" && r.GetProperty("customerValue").GetString() == "granted on 2026-01-01");
        Assert.All(reasons, r => Assert.True(r.GetProperty("allowed").GetBoolean()));
        Assert.Equal(compact.GetProperty("factors").GetRawText(), full.GetProperty("factors").GetRawText());
        Assert.DoesNotContain('\n', compactText);

        var bad = await analyst.GetAsync("/api/customers/D2/next-best-action?trace=everything");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task NextBestAction_BadRequests_AreProblems_AndAnonymousIsRefused()
    {
        var analyst = await TokenClientAsync(Roles.Analyst);

        var unknown = await analyst.GetAsync("/api/customers/nobody/next-best-action");
        var channel = await analyst.GetAsync("/api/customers/D1/next-best-action?channel=fax");
        var tooLong = await analyst.GetAsync($"/api/customers/{new string('x', 201)}/next-best-action");
        var anonymous = await app.NewClient().GetAsync("/api/customers/D1/next-best-action");

        foreach (var (response, status) in new[] { (unknown, HttpStatusCode.NotFound), (channel, HttpStatusCode.BadRequest), (tooLong, HttpStatusCode.BadRequest) })
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
