using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Users;
using Workbench.Security;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Web;

public sealed partial class SignInTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private sealed record Me(string UserName, string[] Roles);

    [Fact]
    public async Task SignIn_RightPassword_SetsCookieAndReturnsToLocalPageOnly()
    {
        using var client = app.NewClient();

        var response = await WebAppFactory.SignInAsync(client, "admin", WebAppFactory.AdminPassword);
        var me = await client.GetFromJsonAsync<Me>("/api/me");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("http://localhost/", response.Headers.Location?.AbsoluteUri);
        Assert.Equal("admin", me!.UserName);
        Assert.Equal([Roles.Admin], me.Roles);
        Assert.Equal("/", Workbench.Features.Account.Login.LocalReturnUrl("//evil.example/x"));
        Assert.Equal("/", Workbench.Features.Account.Login.LocalReturnUrl("https://evil.example/"));
        Assert.Equal("/audit?x=1", Workbench.Features.Account.Login.LocalReturnUrl("/audit?x=1"));
    }

    [Fact]
    public async Task SignIn_WrongPasswordFiveTimes_LocksTheAccountEvenForTheRightPassword()
    {
        Assert.True((await app.Users.CreateAsync(new NewUser("lockme", null, WebAppFactory.UserPassword, Roles.Viewer), "test")).Succeeded);
        using var client = app.NewClient();

        for (var i = 0; i < 5; i++)
        {
            var wrong = await WebAppFactory.SignInAsync(client, "lockme", "Wrong-Pass-1!");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains(Workbench.Features.Account.Login.RefusedMessage, WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()));
        }
        var right = await WebAppFactory.SignInAsync(client, "lockme", WebAppFactory.UserPassword);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains(Workbench.Features.Account.Login.RefusedMessage, WebUtility.HtmlDecode(await right.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
        var user = (await app.Users.ListAsync()).Single(u => u.UserName == "lockme");
        Assert.True(user.LockedOut);
    }

    // The page must not tell which user names exist: a wrong password, an unknown name and a locked account get the
    // same answer (the same status and the same page, apart from what differs on every render).
    [Fact]
    public async Task SignIn_WrongPasswordUnknownUserLockedAccount_AnswerTheSame()
    {
        Assert.True((await app.Users.CreateAsync(new NewUser("locked-one", null, WebAppFactory.UserPassword, Roles.Viewer), "test")).Succeeded);
        var locked = (await app.Users.ListAsync()).Single(u => u.UserName == "locked-one");
        Assert.True((await app.Users.SetLockedAsync(locked.Id, true, locked.ConcurrencyStamp, "admin")).Succeeded);

        async Task<(HttpStatusCode, string)> AttemptAsync(string userName, string password)
        {
            using var client = app.NewClient();
            var response = await WebAppFactory.SignInAsync(client, userName, password);
            var page = AntiforgeryValue().Replace(await response.Content.ReadAsStringAsync(), "");
            return (response.StatusCode, page);
        }

        var wrongPassword = await AttemptAsync(WebAppFactory.UserNameFor(Roles.Marketer), "Wrong-Pass-1!");
        var unknownUser = await AttemptAsync("nobody-by-this-name", "Wrong-Pass-1!");
        var lockedAccount = await AttemptAsync("locked-one", WebAppFactory.UserPassword);

        Assert.Equal(HttpStatusCode.OK, wrongPassword.Item1);
        Assert.Contains(Workbench.Features.Account.Login.RefusedMessage, WebUtility.HtmlDecode(wrongPassword.Item2));
        Assert.Equal(wrongPassword.Item1, unknownUser.Item1);
        Assert.Equal(wrongPassword.Item1, lockedAccount.Item1);
        Assert.Equal("", FirstDifference(wrongPassword.Item2, unknownUser.Item2));
        Assert.Equal("", FirstDifference(wrongPassword.Item2, lockedAccount.Item2));
    }

    private static string FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        return i == a.Length && i == b.Length ? "" : $"at {i}: '{a[Math.Max(0, i - 40)..Math.Min(a.Length, i + 40)]}' vs '{b[Math.Max(0, i - 40)..Math.Min(b.Length, i + 40)]}'";
    }

    // Per-render values: the form's field values (the antiforgery token, the name typed) and the encrypted component state.
    [System.Text.RegularExpressions.GeneratedRegex("value=\"[^\"]*\"|<!--Blazor-[^>]*-->")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryValue();

    [Fact]
    public async Task ApiToken_CreatedUsedRevoked_StopsWorkingAfterRevoke()
    {
        var tokens = app.Services.GetRequiredService<ApiTokenService>();
        var analyst = (await app.Users.ListAsync()).Single(u => u.UserName == WebAppFactory.UserNameFor(Roles.Analyst));
        var created = await tokens.CreateAsync(analyst.Id, analyst.UserName, "script");
        using var client = app.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Token);

        var me = await client.GetFromJsonAsync<Me>("/api/me");
        var audit = await client.GetAsync("/api/audit/export.csv");
        var forbidden = await client.GetAsync("/api/imports/1/rejected.csv");
        await tokens.RevokeAsync(analyst.Id, analyst.UserName, created.Info.Id);
        var revoked = await client.GetAsync("/api/me");

        Assert.Equal(analyst.UserName, me!.UserName);
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.StartsWith("at,user,action", await audit.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task Responses_CarryTheSecurityHeaders()
    {
        using var client = app.NewClient();

        var response = await client.GetAsync("/login");

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public void UploadLimits_DefaultTwoGigabytes_LargerFileGetsAMessage()
    {
        var limits = app.Services.GetRequiredService<UploadLimits>();

        Assert.Equal(2L * 1024 * 1024 * 1024, limits.MaxUploadBytes);
        Assert.Null(limits.Check(limits.MaxUploadBytes));
        Assert.Equal("The file is 2 GB; files up to 2 GB can be imported (Workbench:MaxUploadBytes).", limits.Check(limits.MaxUploadBytes + 1));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", null, false)]
    [InlineData("http://*:80;https://*:443", null, true)]
    [InlineData(null, "443", true)]
    [InlineData(null, null, false)]
    public void IsHttpsBound_OnlyWhenAnHttpsAddressOrPortIsConfigured(string? urls, string? httpsPorts, bool expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls, ["https_ports"] = httpsPorts })
            .Build();

        Assert.Equal(expected, SecurityHeaders.IsHttpsBound(configuration));
    }

    [Fact]
    public async Task SignInForm_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = app.NewClient();

        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.UserName"] = "admin",
            ["Input.Password"] = WebAppFactory.AdminPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("workbench.auth")));
    }

    [Fact]
    public void UploadLimits_ComeFromConfiguration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Workbench:MaxUploadBytes"] = "1048576" })
            .Build();

        var limits = UploadLimits.From(configuration);

        Assert.Equal(1_048_576, limits.MaxUploadBytes);
        Assert.Equal("The file is 1.5 MB; files up to 1 MB can be imported (Workbench:MaxUploadBytes).", limits.Check(1_572_864));
    }
}
