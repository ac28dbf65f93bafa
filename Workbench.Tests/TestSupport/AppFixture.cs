using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Workbench.Core;
using Workbench.Core.Data;
using Workbench.Core.Users;

namespace Workbench.Tests.TestSupport;

// The real app as a process on 127.0.0.1, on a fresh store (so it loads sample-data on first start),
// and headless Debian Chromium driven by Playwright.
// OpenAsync(path) signs in as the Admin (once; later pages reuse the saved cookie); OpenAsAsync(path, role) as a
// user of that role, created on first use straight in the store.
public class AppFixture : IAsyncLifetime
{
    public const string AdminUserName = "admin";
    public const string AdminPassword = "Admin-Test-Pass-1!";
    public const string UserPassword = "User-Test-Pass-1!";

    private readonly Dictionary<string, string> _storageStates = [];
    private readonly SemaphoreSlim _signInGate = new(1, 1);
    private Process? _app;
    private IPlaywright? _playwright;
    private readonly List<string> _output = [];

    // False for a fixture whose app starts on an empty store.
    protected virtual bool LoadSampleData => true;

    // A fixture's own data, written to the running app's store (by the command-line verbs, as a second process would).
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public string BaseUrl { get; private set; } = "";
    public string StoreDirectory { get; } = Path.Combine(Path.GetTempPath(), "wb-app-" + Guid.NewGuid().ToString("N"));
    public string DatabasePath => Path.Combine(StoreDirectory, "workbench.db");
    public IBrowser Browser { get; private set; } = null!;
    public string Output { get { lock (_output) return string.Join('\n', _output); } }

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("Workbench.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(StoreDirectory);
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var info = WorkbenchProcess.StartInfo(StoreDirectory, "--urls", BaseUrl);
        info.Environment["ConnectionStrings__Workbench"] = $"Data Source={DatabasePath}";
        info.Environment["Workbench__SampleData"] = Path.Combine(RepositoryRoot, "sample-data");
        if (!LoadSampleData) info.Environment["Workbench__LoadSampleData"] = "false";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Workbench__Admin__UserName"] = AdminUserName;
        info.Environment["Workbench__Admin__Password"] = AdminPassword;
        _app = Process.Start(info)!;
        _app.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        _app.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        _app.BeginOutputReadLine();
        _app.BeginErrorReadLine();
        await WaitUntilServingAsync();
        await SeedAsync();

        _playwright = await Playwright.CreateAsync();
        // Assertions wait for the state they need; 5 s (Playwright's default) is too short for a first Plotly load
        // while the machine is busy with a build, and a longer wait costs nothing when the state arrives early.
        Assertions.SetDefaultExpectTimeout(20_000);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_app!.HasExited) throw new InvalidOperationException($"the app exited with {_app.ExitCode}:\n{Output}");
            try
            {
                var response = await http.GetAsync(BaseUrl + "/");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the app did not answer at {BaseUrl}:\n{Output}");
    }

    // A new page at the path, signed in as the Admin unless a context is given, once the interactive circuit is
    // attached (clicks before that are lost).
    public async Task<IPage> OpenAsync(string path, IBrowserContext? context = null)
    {
        context ??= await SignedInContextAsync(AdminUserName, AdminPassword);
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + path);
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        return page;
    }

    // The same, signed in as the test user of that role (test-admin, test-marketer, ...).
    public async Task<IPage> OpenAsAsync(string path, string role) =>
        await OpenAsync(path, await SignedInContextAsync(await EnsureUserAsync(role), UserPassword));

    public Task<IBrowserContext> NewContextAsync(string? storageState = null) => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        AcceptDownloads = true,
        StorageState = storageState,
    });

    // A fresh browser context carrying the user's sign-in cookie; the sign-in form is used once per user.
    public async Task<IBrowserContext> SignedInContextAsync(string userName, string password)
    {
        await _signInGate.WaitAsync();
        try
        {
            if (!_storageStates.TryGetValue(userName, out var state))
            {
                await using var context = await NewContextAsync();
                var page = await context.NewPageAsync();
                await SignInAsync(page, userName, password);
                await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
                state = await context.StorageStateAsync();
                _storageStates[userName] = state;
            }
            return await NewContextAsync(state);
        }
        finally
        {
            _signInGate.Release();
        }
    }

    // Fills and posts the sign-in form; the page ends wherever the app sends it.
    public async Task SignInAsync(IPage page, string userName, string password, string returnPath = "/")
    {
        await page.GotoAsync($"{BaseUrl}/login?returnUrl={Uri.EscapeDataString(returnPath)}");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#signin");
        // Generous: the first sign-in of a run may land while other collections' apps build packs and run campaigns on
        // the same two cores.
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded, new() { Timeout = 90_000 });
    }

    // Core's services over the app's own store, for arranging data straight in it (as the command line does).
    public async Task WithStoreAsync(Func<IServiceProvider, Task> action)
    {
        await using var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddWorkbenchCore(StoreLocation.Resolve($"Data Source={DatabasePath}", StoreDirectory))
            .BuildServiceProvider();
        await action(services);
    }

    // Creates (once) the user test-<role> with UserPassword, straight in the app's store.
    public async Task<string> EnsureUserAsync(string role)
    {
        var userName = "test-" + role.ToLowerInvariant();
        await using var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddWorkbenchCore(StoreLocation.Resolve($"Data Source={DatabasePath}", StoreDirectory))
            .BuildServiceProvider();
        var users = services.GetRequiredService<UserService>();
        if ((await users.ListAsync()).All(u => u.UserName != userName))
        {
            var created = await users.CreateAsync(new NewUser(userName, null, UserPassword, role), "test-setup");
            if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors));
        }
        return userName;
    }

    // An HTTP client for the app's API carrying a personal API token of the test user of that role.
    public async Task<HttpClient> ApiClientAsync(string role = Roles.Admin)
    {
        var userName = await EnsureUserAsync(role);
        var token = "";
        await WithStoreAsync(async services =>
        {
            var user = (await services.GetRequiredService<UserService>().ListAsync()).Single(u => u.UserName == userName);
            token = (await services.GetRequiredService<ApiTokenService>().CreateAsync(user.Id, userName, "tests")).Token;
        });
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    // "" when the chart's title lies inside the chart and clear of the modebar (drawn over its top right corner), else
    // what is wrong.
    public static Task<string> ChartTitleProblemAsync(IPage page, string chart) => page.EvaluateAsync<string>("""
        chart => {
            const svg = document.querySelector(chart + ' .main-svg').getBoundingClientRect();
            const t = document.querySelector(chart + ' .gtitle').getBoundingClientRect();
            const m = document.querySelector(chart + ' .modebar').getBoundingClientRect();
            const box = r => `${r.left.toFixed(0)}-${r.right.toFixed(0)} × ${r.top.toFixed(0)}-${r.bottom.toFixed(0)}`;
            if (t.right > svg.right || t.left < svg.left) return `title ${box(t)} runs past the chart ${box(svg)}`;
            if (t.right > m.left && t.left < m.right && t.top < m.bottom && t.bottom > m.top) return `title ${box(t)} under the modebar ${box(m)}`;
            return '';
        }
        """, chart);

    // Screenshots land in TestResults/screenshots so a person can look at every page the journeys visit.
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        // A full-page shot of a scrolled page draws the fixed app bar where the viewport was: shot from the top.
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }

    // One part of a long page, as it is drawn, for a page whose full shot is too tall to read.
    public static async Task ScreenshotAsync(ILocator part, string name)
    {
        var directory = Path.Combine(RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        await part.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(directory, name + ".png") });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true);
            await _app.WaitForExitAsync();
        }
        _app?.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(StoreDirectory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
