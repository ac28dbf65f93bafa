using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Users;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Web;

// The customer export's search through the API, as a Viewer: masked fields never match, sorting by them is refused,
// and searches are rate-limited per user.
public sealed class CustomerSearchApiTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private async Task LoadAsync()
    {
        var imports = app.Services.GetRequiredService<ImportService>();
        foreach (var (kind, csv) in new[] { (ImportKind.Customers, QualityFixture.Customers), (ImportKind.Products, QualityFixture.Products),
                     (ImportKind.Transactions, QualityFixture.Transactions) })
        {
            if ((await imports.HistoryAsync(10, default)).Any(h => h.Kind == kind && h.Outcome == ImportOutcome.Imported)) continue;
            await imports.ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)),
                new ImportRequest(kind, "fixture.csv", ImportMode.AllOrNothing, "test"), null, default);
        }
    }

    private static async Task<List<string>> IdsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Skip(1).Select(l => l.Split(',')[0]).ToList();
    }

    [Theory]
    [InlineData(Roles.Viewer, "%2B447700", new string[0])]
    [InlineData(Roles.Viewer, "ann%40example", new string[0])]
    [InlineData(Roles.Viewer, "ann%40example.com", new[] { "Q1", "Q2" })]
    [InlineData(Roles.Viewer, "%25", new string[0])]
    [InlineData(Roles.Analyst, "%2B447700", new[] { "Q1", "Q2" })]
    [InlineData(Roles.Analyst, "%25", new string[0])]
    public async Task Export_Search_MatchesOnlyWhatTheRoleSees(string role, string search, string[] expected)
    {
        await LoadAsync();
        var client = await app.ClientAsync(role);
        Assert.Equal(expected, await IdsAsync(await client.GetAsync($"/api/customers/export.csv?search={search}")));
    }

    [Fact]
    public async Task Export_ViewerSortsByEmail_Gets400Problem()
    {
        var client = await app.ClientAsync(Roles.Viewer);
        var response = await client.GetAsync("/api/customers/export.csv?sort=Email");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("masked", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Export_TooManySearches_Gets429ForThatUserOnly()
    {
        // A user of its own, so other tests' searches do not count; the default limit is 60 a minute.
        await app.Users.CreateAsync(new NewUser("web-searcher", null, WebAppFactory.UserPassword, Roles.Viewer), "test-setup");
        using var client = app.NewClient();
        await WebAppFactory.SignInAsync(client, "web-searcher", WebAppFactory.UserPassword);
        for (var i = 0; i < 60; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/customers/export.csv?search=x{i}")).StatusCode);

        var refused = await client.GetAsync("/api/customers/export.csv?search=again");
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        // Listing without a search term is not limited, and another user still searches.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/customers/export.csv")).StatusCode);
        var other = await app.ClientAsync(Roles.Analyst);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/customers/export.csv?search=ann")).StatusCode);
    }

    [Fact]
    public async Task Profile_WithAStoredInfiniteLine_AnswersJsonAndSaysSo()
    {
        await LoadAsync();
        var store = app.Services.GetRequiredService<Workbench.Core.Data.StoreLocation>();
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(store.ConnectionString))
        {
            await connection.OpenAsync();
            await using var plant = connection.CreateCommand();
            // As an importer without range checks let in: a 308-digit price times a quantity overflowed to infinity.
            plant.CommandText = """
                INSERT OR REPLACE INTO order_lines (order_id, line_no, customer_id, ordered_at, sku, quantity, unit_price, discount, import_id, created_import_id, revision, seen_import_id)
                VALUES ('OINF', 1, 'Q5', '2026-10-06 10:00:00', 'P1', 10, 9e999, 0, 0, 0, 0, 0)
                """;
            await plant.ExecuteNonQueryAsync();
        }
        var client = await app.ClientAsync(Roles.Analyst);

        var response = await client.GetAsync("/api/customers/Q5");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        // Q5's one real line (QualityFixture O5): 1 × 3.50.
        Assert.Equal(3.5, json.RootElement.GetProperty("kpis").GetProperty("netRevenue").GetDouble(), 9);
        Assert.Contains(json.RootElement.GetProperty("issues").EnumerateArray(), i => i.GetProperty("kind").GetString() == "non-finite");
    }
}
