using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Users;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Web;

public sealed class ApiProblemTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private async Task<HttpClient> BearerAsync(string role)
    {
        var user = (await app.Users.ListAsync()).Single(u => u.UserName == WebAppFactory.UserNameFor(role));
        var token = await app.Services.GetRequiredService<ApiTokenService>().CreateAsync(user.Id, user.UserName, "problems");
        var client = app.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    internal static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task UnknownApiPath_Is404Problem()
    {
        using var client = await BearerAsync(Roles.Viewer);
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        var response = await client.GetAsync("/api/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (await ProblemAsync(response)).GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("/api/no-such-thing", HttpStatusCode.Unauthorized)]
    [InlineData("/api/me", HttpStatusCode.Unauthorized)]
    [InlineData("/api/audit/export.csv", HttpStatusCode.Unauthorized)]
    public async Task Anonymous_BareStatusCodes_ComeAsProblemDetails(string path, HttpStatusCode expected)
    {
        using var client = app.NewClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        var response = await client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal((int)expected, (await ProblemAsync(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task ModelBindingFailure_Is400Problem_WithoutDotNetTypeNames()
    {
        using var client = await BearerAsync(Roles.Analyst);

        var response = await client.GetAsync("/api/segments/1/members?page=abc");
        var problem = await ProblemAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("Int32", problem.ToString());
        Assert.DoesNotContain("System.", problem.ToString());
    }

    [Fact]
    public async Task TokenUserDeniedAPage_Gets403_NotTheNotFoundPageOrARedirect()
    {
        using var viewer = await BearerAsync(Roles.Viewer);

        var users = await viewer.GetAsync("/users");
        var home = await viewer.GetAsync("/");

        Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
        Assert.Equal(403, (await ProblemAsync(users)).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task ExpiredToken_Gets401()
    {
        using var client = await BearerAsync(Roles.Analyst);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        await using (var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE api_tokens SET expires_at = '2020-01-01 00:00:00' WHERE name = 'problems'";
            Assert.True(await command.ExecuteNonQueryAsync() > 0);
        }

        var response = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await ProblemAsync(response);
    }

    [Theory]
    [InlineData("/api/me")]
    [InlineData("/api/customers/export.csv")]
    [InlineData("/api/customers/C1")]
    [InlineData("/api/privacy/customers/C1")]
    [InlineData("/api/audit/export.csv")]
    [InlineData("/customers")]
    [InlineData("/account")]
    [InlineData("/privacy")]
    public async Task PersonalDataReplies_AreNoStore(string path)
    {
        var client = await app.ClientAsync(Roles.Admin);

        var response = await client.GetAsync(path);

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
        Assert.True(response.Headers.CacheControl?.NoStore, $"{path}: Cache-Control {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task StaticFiles_KeepTheirOwnCaching()
    {
        using var client = app.NewClient();

        var response = await client.GetAsync("/favicon.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.CacheControl?.NoStore ?? false);
    }
}

// A store that fails under the app (a table gone): the API answers 500 as problem details, never an HTML page.
public sealed class ApiFailureTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task UnhandledFailure_Is500Problem_NotAnHtmlPage()
    {
        var client = await app.ClientAsync(Roles.Admin);
        await using (var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE segments RENAME TO segments_gone";
            await command.ExecuteNonQueryAsync();
        }
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        var response = await client.GetAsync("/api/segments/1/members");
        var problem = await ApiProblemTests.ProblemAsync(response);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("Unexpected error", problem.GetProperty("title").GetString());
        Assert.DoesNotContain("segments_gone", problem.ToString());
        Assert.DoesNotContain("Sqlite", problem.ToString());
    }
}
