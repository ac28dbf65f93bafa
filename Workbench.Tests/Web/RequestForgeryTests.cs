using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Users;
using Workbench.Security;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Web;

// The rules of RequestForgeryProtection one by one; AccessMatrixTests posts from another origin to every endpoint.
public sealed class RequestForgeryTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private const string Rule = """{"op":"and","conditions":[]}""";

    private static HttpRequestMessage CountRequest(string? origin, string? token, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/segments/count")
        {
            Content = new StringContent(Rule, Encoding.UTF8, contentType),
        };
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (token is not null) request.Headers.Add(RequestForgeryProtection.TokenHeader, token);
        return request;
    }

    private async Task<HttpClient> BearerAsync(string role)
    {
        var user = (await app.Users.ListAsync()).Single(u => u.UserName == WebAppFactory.UserNameFor(role));
        var token = await app.Services.GetRequiredService<ApiTokenService>().CreateAsync(user.Id, user.UserName, "forgery");
        var client = app.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    private static async Task<string?> TitleAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString();
    }

    [Fact]
    public async Task CookiePost_SameOrigin_NeedsTheAntiforgeryToken()
    {
        var client = await app.ClientAsync(Roles.Analyst);
        var token = await WebAppFactory.AntiforgeryTokenAsync(client);

        var withoutToken = await client.SendAsync(CountRequest(WebAppFactory.OwnOrigin, null));
        var wrongToken = await client.SendAsync(CountRequest(WebAppFactory.OwnOrigin, token[..^4] + "AAAA"));
        var withToken = await client.SendAsync(CountRequest(WebAppFactory.OwnOrigin, token));

        Assert.Equal(HttpStatusCode.Forbidden, withoutToken.StatusCode);
        Assert.Equal("Antiforgery token missing or invalid", await TitleAsync(withoutToken));
        Assert.Equal(HttpStatusCode.Forbidden, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Equal(0, (await withToken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task CookiePost_WithoutOriginOrReferer_IsRefused_EvenWithTheToken()
    {
        var client = await app.ClientAsync(Roles.Analyst);
        var token = await WebAppFactory.AntiforgeryTokenAsync(client);

        var response = await client.SendAsync(CountRequest(null, token));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Origin missing", await TitleAsync(response));
    }

    [Theory]
    [InlineData("http://localhost:5999")]
    [InlineData("http://evil.localhost")]
    [InlineData("https://localhost")]
    [InlineData("null")]
    public async Task CookiePost_FromAnotherOrigin_IsRefused_EvenWithTheToken(string origin)
    {
        var client = await app.ClientAsync(Roles.Analyst);
        var token = await WebAppFactory.AntiforgeryTokenAsync(client);

        var response = await client.SendAsync(CountRequest(origin, token));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Cross-origin request refused", await TitleAsync(response));
    }

    [Fact]
    public async Task Erase_AutoSubmittedTextPlainFormFromAnotherPort_IsRefused()
    {
        var client = await app.ClientAsync(Roles.Admin);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/privacy/customers/C1/erase")
        {
            Content = new StringContent("a=b", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Origin", WebAppFactory.OtherOrigin);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task BearerPost_NeedsNoAntiforgeryToken_ButOnlyTheDocumentedContentType()
    {
        using var client = await BearerAsync(Roles.Analyst);

        var json = await client.SendAsync(CountRequest(null, null));
        var textPlain = await client.SendAsync(CountRequest(null, null, "text/plain"));
        var form = await client.SendAsync(CountRequest(null, null, "application/x-www-form-urlencoded"));
        var fromElsewhere = await client.SendAsync(CountRequest(WebAppFactory.OtherOrigin, null));

        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, textPlain.StatusCode);
        Assert.Equal("application/problem+json", textPlain.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, fromElsewhere.StatusCode);
    }

    [Fact]
    public async Task BearerErase_TakesNoBody()
    {
        using var client = await BearerAsync(Roles.Admin);

        var withBody = await client.PostAsync("/api/privacy/customers/C1/erase", new StringContent("a=b", Encoding.UTF8, "text/plain"));
        var withoutBody = await client.PostAsync("/api/privacy/customers/C1/erase", null);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, withBody.StatusCode);
        Assert.Equal("No body expected", await TitleAsync(withBody));
        Assert.Equal(HttpStatusCode.NotFound, withoutBody.StatusCode);
    }

    // A page on another port could open the circuit's WebSocket with the cookie (browsers send it, and Origin).
    [Fact]
    public async Task CircuitWebSocket_FromAnotherOrigin_IsRefused_FromItsOwnAccepted()
    {
        using var client = app.NewClient();
        var signIn = await WebAppFactory.SignInAsync(client, WebAppFactory.UserNameFor(Roles.Marketer), WebAppFactory.UserPassword);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("workbench.auth=", StringComparison.Ordinal));

        async Task<System.Net.WebSockets.WebSocket?> ConnectAsync(string origin)
        {
            var socket = app.Server.CreateWebSocketClient();
            socket.ConfigureRequest = r =>
            {
                r.Headers.Cookie = cookie;
                r.Headers.Origin = origin;
            };
            try
            {
                return await socket.ConnectAsync(new Uri("ws://localhost/_blazor"), CancellationToken.None);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("403"))
            {
                return null;
            }
        }

        var foreign = await ConnectAsync(WebAppFactory.OtherOrigin);
        var own = await ConnectAsync(WebAppFactory.OwnOrigin);

        Assert.Null(foreign);
        Assert.NotNull(own);
        own!.Abort();
    }

    [Fact]
    public async Task SignOutForm_FromAnotherOrigin_IsRefused_AndTheSessionStays()
    {
        using var client = app.NewClient();
        await WebAppFactory.SignInAsync(client, WebAppFactory.UserNameFor(Roles.Viewer), WebAppFactory.UserPassword);
        var token = await WebAppFactory.AntiforgeryTokenAsync(client);
        var request = new HttpRequestMessage(HttpMethod.Post, "/account/logout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("Origin", WebAppFactory.OtherOrigin);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
    }
}
