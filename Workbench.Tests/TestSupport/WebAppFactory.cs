using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Users;

namespace Workbench.Tests.TestSupport;

// The app in-process on a fresh, empty store (no sample data), with the Admin's password set by configuration
// and one user per role. ClientAsync(role) returns an HTTP client signed in through the real login form.
// Sign-in rate limits are set high here (many tests sign in from the one test address); SignInRateLimitTests sets its own.
public partial class WebAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminPassword = "Admin-Web-Pass-1!";
    public const string UserPassword = "User-Web-Pass-1!";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "wb-web-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, HttpClient> _clients = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        builder.UseSetting("ConnectionStrings:Workbench", $"Data Source={Path.Combine(_directory, "workbench.db")}");
        builder.UseSetting("Workbench:LoadSampleData", "false");
        builder.UseSetting("Workbench:Admin:UserName", "admin");
        builder.UseSetting("Workbench:Admin:Password", AdminPassword);
        builder.UseSetting("Workbench:SignIn:PerAddressPerMinute", "10000");
        builder.UseSetting("Workbench:SignIn:PerUserNamePerMinute", "10000");
        builder.UseEnvironment("Production");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public string DatabasePath => Path.Combine(_directory, "workbench.db");

    // Another origin of the same host: a page served from another port (SameSite=Lax still sends the cookie).
    public const string OtherOrigin = "http://localhost:5999";
    public const string OwnOrigin = "http://localhost";

    public UserService Users => Services.GetRequiredService<UserService>();

    public static string UserNameFor(string role) => role == Roles.Admin ? "admin" : "web-" + role.ToLowerInvariant();

    public async Task InitializeAsync()
    {
        foreach (var role in Roles.All.Where(r => r != Roles.Admin))
        {
            var created = await Users.CreateAsync(new NewUser(UserNameFor(role), null, UserPassword, role), "test-setup");
            Assert.True(created.Succeeded, string.Join("; ", created.Errors));
        }
    }

    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    // A client carrying the role's sign-in cookie (or none for null: anonymous).
    public async Task<HttpClient> ClientAsync(string? role)
    {
        var key = role ?? "anonymous";
        if (_clients.TryGetValue(key, out var cached)) return cached;
        var client = NewClient();
        if (role is not null)
        {
            var response = await SignInAsync(client, UserNameFor(role), role == Roles.Admin ? AdminPassword : UserPassword);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }
        _clients[key] = client;
        return client;
    }

    // A client sending the role's API token (no cookie, so no antiforgery token is needed); one token per role.
    public async Task<HttpClient> TokenClientAsync(string role)
    {
        var key = "token:" + role;
        if (_clients.TryGetValue(key, out var cached)) return cached;
        var user = (await Users.ListAsync()).Single(u => u.UserName == UserNameFor(role));
        var token = await Services.GetRequiredService<ApiTokenService>().CreateAsync(user.Id, user.UserName, "tests");
        var client = NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return _clients[key] = client;
    }

    // Imports fixture CSV files into the app's store, all-or-nothing, each one required to succeed.
    public async Task ImportAsync(params (ImportKind Kind, string Csv)[] files)
    {
        var imports = Services.GetRequiredService<ImportService>();
        foreach (var (kind, csv) in files)
        {
            var result = await imports.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), new ImportRequest(kind, "fixture.csv", ImportMode.AllOrNothing, "test"), null, default);
            Assert.True(result.Succeeded, result.Summary);
        }
    }

    // Posts the sign-in form as a browser would: with the antiforgery token of the page.
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password)
    {
        var page = await client.GetStringAsync("/login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
    }

    // The antiforgery token a signed-in page holds (the sign-out form's), as a page script would send it.
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/account");
        var match = AntiforgeryField().Match(page);
        Assert.True(match.Success, "no antiforgery token on /account");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
