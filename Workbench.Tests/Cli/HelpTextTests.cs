using Workbench.Cli;

namespace Workbench.Tests.Cli;

public sealed class HelpTextTests
{
    [Fact]
    public async Task Help_SaysTheVerbsTrustWhoeverCanReadTheStore()
    {
        var stdout = new StringWriter();

        var exit = await CommandLine.RunAsync(["--help"], stdout, new StringWriter());

        Assert.Equal(0, exit);
        Assert.Contains("without signing in and without roles: whoever can read", stdout.ToString());
        Assert.Contains("the database file is already trusted", stdout.ToString());
    }
}
