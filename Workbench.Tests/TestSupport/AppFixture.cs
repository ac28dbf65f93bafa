using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Workbench.Tests.TestSupport;

// The real app as a process on 127.0.0.1, on a fresh store (so it loads sample-data on first start),
// and headless Debian Chromium driven by Playwright.
public sealed class AppFixture : IAsyncLifetime
{
    private Process? _app;
    private IPlaywright? _playwright;
    private readonly List<string> _output = [];

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
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _app = Process.Start(info)!;
        _app.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        _app.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        _app.BeginOutputReadLine();
        _app.BeginErrorReadLine();
        await WaitUntilServingAsync();

        _playwright = await Playwright.CreateAsync();
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

    // A new page at the path, once the interactive circuit is attached (clicks before that are lost).
    public async Task<IPage> OpenAsync(string path, IBrowserContext? context = null)
    {
        context ??= await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + path);
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        return page;
    }

    // Screenshots land in TestResults/screenshots so a person can look at every page the journeys visit.
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
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
