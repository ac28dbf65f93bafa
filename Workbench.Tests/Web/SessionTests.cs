using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workbench.Core.Users;
using Workbench.Security;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Web;

public sealed class SessionTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static string AuthCookie(HttpResponseMessage signIn) =>
        signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("workbench.auth=", StringComparison.Ordinal));

    [Fact]
    public async Task SignOut_ACopyOfTheCookieTakenBefore_NoLongerWorksForPagesOrApi()
    {
        using var browser = app.NewClient();
        var signIn = await WebAppFactory.SignInAsync(browser, WebAppFactory.UserNameFor(Roles.Analyst), WebAppFactory.UserPassword);
        using var copy = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        copy.DefaultRequestHeaders.Add("Cookie", AuthCookie(signIn));
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/account")).StatusCode);

        var signOut = new HttpRequestMessage(HttpMethod.Post, "/account/logout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(browser),
            }),
        };
        signOut.Headers.Add("Origin", WebAppFactory.OwnOrigin);
        var signedOut = await browser.SendAsync(signOut);
        var api = await copy.GetAsync("/api/me");
        var page = await copy.GetAsync("/account");

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login", page.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public void SignInCookie_HasAnExplicitSlidingLifetime_AndStampChecksEveryMinute()
    {
        var cookie = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var stamp = app.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;

        Assert.Equal(TimeSpan.FromHours(8), cookie.ExpireTimeSpan);
        Assert.True(cookie.SlidingExpiration);
        Assert.True(cookie.Cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Lax, cookie.Cookie.SameSite);
        Assert.Equal(CookieSecurePolicy.SameAsRequest, cookie.Cookie.SecurePolicy);
        Assert.Equal(TimeSpan.FromMinutes(1), stamp.ValidationInterval);
    }

    [Fact]
    public async Task OverHttps_TheSignInAndAntiforgeryCookiesAreSecure_OverHttpNot()
    {
        using var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        using var http = app.NewClient();
        using var fresh = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var antiforgery = (await fresh.GetAsync("/login")).Headers.GetValues("Set-Cookie").ToList();

        var secure = await WebAppFactory.SignInAsync(https, WebAppFactory.UserNameFor(Roles.Viewer), WebAppFactory.UserPassword);
        var plain = await WebAppFactory.SignInAsync(http, WebAppFactory.UserNameFor(Roles.Viewer), WebAppFactory.UserPassword);

        Assert.Contains("secure", secure.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("workbench.auth=")), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", plain.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("workbench.auth=")), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(antiforgery, c => c.StartsWith(".AspNetCore.Antiforgery"));
        Assert.All(antiforgery.Where(c => c.StartsWith(".AspNetCore.Antiforgery")), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }
}

// The app on a clock the test moves, to see the security stamp re-checked.
public sealed class MovableClockWebAppFactory : WebAppFactory
{
    public MovableClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.PostConfigure<SecurityStampValidatorOptions>(o => o.TimeProvider = Clock);
            services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o => o.TimeProvider = Clock);
        });
    }
}

public sealed class SecurityStampTests(MovableClockWebAppFactory app) : IClassFixture<MovableClockWebAppFactory>
{
    [Fact]
    public async Task RoleChange_TakesEffectOnTheCookieWithinTheStampInterval()
    {
        var client = await app.ClientAsync(Roles.Analyst);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/audit/export.csv")).StatusCode);
        var analyst = (await app.Users.ListAsync()).Single(u => u.UserName == WebAppFactory.UserNameFor(Roles.Analyst));

        Assert.True((await app.Users.ChangeRoleAsync(analyst.Id, Roles.Viewer, analyst.ConcurrencyStamp, "admin")).Succeeded);
        app.Clock.Advance(SecurityServiceCollectionExtensions.SecurityStampInterval + TimeSpan.FromSeconds(1));
        var after = await client.GetAsync("/api/audit/export.csv");

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task CookieUnusedForLongerThanItsLifetime_IsRefused()
    {
        var client = await app.ClientAsync(Roles.Marketer);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);

        app.Clock.Advance(SecurityServiceCollectionExtensions.CookieLifetime + TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }
}
