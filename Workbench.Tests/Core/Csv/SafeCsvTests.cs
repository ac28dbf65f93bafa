using Workbench.Core.Csv;

namespace Workbench.Tests.Core.Csv;

public sealed class SafeCsvTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "'\r=1")]
    [InlineData("+44 7700 900123", "'+44 7700 900123")]
    public void Neutralise_FormulaStart_PrefixesQuote(string field, string expected) => Assert.Equal(expected, SafeCsv.Neutralise(field));

    [Theory]
    [InlineData("Anna")]
    [InlineData("-5")]
    [InlineData("-12.50")]
    [InlineData("+3")]
    [InlineData("")]
    [InlineData(null)]
    public void Neutralise_TextOrPlainNumber_Unchanged(string? field) => Assert.Equal(field, SafeCsv.Neutralise(field));

    [Theory]
    [InlineData("'=1+2", "=1+2")]
    [InlineData("'+44 7700 900123", "+44 7700 900123")]
    [InlineData("'quoted", "'quoted")]
    [InlineData("'", "'")]
    [InlineData("O'Neil", "O'Neil")]
    public void Restore_UndoesNeutraliseOnly(string field, string expected) => Assert.Equal(expected, SafeCsv.Restore(field));
}
