using System.Net;
using Workbench.Core.Users;
using Workbench.Features.Account;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Web;

public sealed class RateLimitedWebAppFactory : WebAppFactory
{
    public const int PerAddress = 6;
    public const int PerUserName = 3;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Workbench:SignIn:PerAddressPerMinute"] = PerAddress.ToString(),
        ["Workbench:SignIn:PerUserNamePerMinute"] = PerUserName.ToString(),
    };
}

// Every test request comes from the same (test server) address, so one test walks through both limits in order.
public sealed class SignInRateLimitTests(RateLimitedWebAppFactory app) : IClassFixture<RateLimitedWebAppFactory>
{
    private async Task<(HttpStatusCode Status, string Page)> AttemptAsync(string userName, string password)
    {
        using var client = app.NewClient();
        var response = await WebAppFactory.SignInAsync(client, userName, password);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task SignIn_LimitedPerUserName_ThenPerAddress_UnknownNamesLikeKnownOnes()
    {
        var attempts = new List<(HttpStatusCode Status, string Page)>();
        for (var i = 0; i < RateLimitedWebAppFactory.PerUserName + 1; i++) attempts.Add(await AttemptAsync("ghost", "Wrong-Pass-1!"));
        // Another name from the same address is still let through (4 of 6 used), and a right password signs in.
        var otherName = await AttemptAsync(WebAppFactory.UserNameFor(Roles.Viewer), WebAppFactory.UserPassword);
        var sixth = await AttemptAsync("someone", "Wrong-Pass-1!");
        var seventh = await AttemptAsync("someone-else", "Wrong-Pass-1!");

        Assert.All(attempts.Take(RateLimitedWebAppFactory.PerUserName), a => Assert.Contains(Login.RefusedMessage, a.Page));
        Assert.Equal(HttpStatusCode.TooManyRequests, attempts[^1].Status);
        Assert.Contains(Login.ThrottledMessage, attempts[^1].Page);
        Assert.Equal(HttpStatusCode.Redirect, otherName.Status);
        Assert.Contains(Login.RefusedMessage, sixth.Page);
        Assert.Equal(HttpStatusCode.TooManyRequests, seventh.Status);
        Assert.Contains(Login.ThrottledMessage, seventh.Page);
    }
}
