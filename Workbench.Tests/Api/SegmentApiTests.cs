using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Api;

// Against the real app on the sample data.
[Collection(AppCollection.Name)]
public sealed class SegmentApiTests(AppFixture app)
{
    private HttpClient? _client;

    // Signed in with an Analyst's API token: the segment API is inside the roles.
    private async Task<HttpClient> HttpAsync() => _client ??= await app.ApiClientAsync(Workbench.Core.Users.Roles.Analyst);

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Count_ValidRule_ReturnsTheCount()
    {
        var response = await (await HttpAsync()).PostAsync(app.BaseUrl + "/api/segments/count", new StringContent(
            """{"op":"and","conditions":[{"field":"loyalty_tier","operator":"in","values":["Gold","Platinum"]},{"field":"consent","operator":"is","channel":"email","value":"granted"}]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var expected = await ScalarAsync("SELECT COUNT(*) FROM customers c WHERE c.loyalty_tier IN ('Gold','Platinum') AND EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = c.customer_id AND k.channel = 'email' AND k.status = 'granted')");
        Assert.True(expected > 0);
        Assert.Equal(expected, body.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Count_InvalidRule_Is400ProblemNamingTheCondition()
    {
        var response = await (await HttpAsync()).PostAsync(app.BaseUrl + "/api/segments/count", new StringContent(
            """{"conditions":[{"field":"region","operator":"eq","value":"London"},{"field":"recency_days","operator":"lte","value":"soon"}]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("condition 2 of group 1: 'recency_days' needs a number", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Members_SavedSegment_ArePagedAndExported()
    {
        var name = "api-" + Guid.NewGuid().ToString("N");
        var id = await ScalarAsync($"""
            INSERT INTO segments (name, description, owner, rule_json, version, created_at, updated_at, updated_by)
            VALUES ('{name}', '', 'test', '{"{"}"conditions":[{"{"}"field":"loyalty_tier","operator":"eq","value":"Gold"{"}"}]{"}"}', 1, '2026-11-25 08:00:00', '2026-11-25 08:00:00', 'test')
            RETURNING id
            """);
        var gold = await ScalarAsync("SELECT COUNT(*) FROM customers WHERE loyalty_tier = 'Gold'");

        var page = await (await HttpAsync()).GetFromJsonAsync<JsonElement>($"{app.BaseUrl}/api/segments/{id}/members?page=2&pageSize=5");
        var csv = await (await HttpAsync()).GetStringAsync($"{app.BaseUrl}/api/segments/{id}/members.csv");
        var missing = await (await HttpAsync()).GetAsync($"{app.BaseUrl}/api/segments/999999/members");

        Assert.Equal(gold, page.GetProperty("total").GetInt64());
        Assert.Equal(5, page.GetProperty("items").GetArrayLength());
        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.StartsWith("customer_id,first_name,", csv);
        Assert.Equal(gold + 1, csv.TrimEnd().Split('\n').Length);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await ScalarAsync($"DELETE FROM segments WHERE id = {id} RETURNING id");
    }
}
