using AngleSharp.Html.Parser;

using FundingPortal.Web.Features.Tasks;

namespace FundingPortal.UnitTests;

public class SafeMarkdownTests
{
    // Raw HTML comes out as visible text, so the check is on the rendered document: what elements and attributes a browser would build.
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click me](javascript:alert(1))")]
    [InlineData("[click me](JaVaScRiPt:alert(1))")]
    [InlineData("![pic](javascript:alert(1))")]
    [InlineData("<a href=\"https://x.example\" onclick=\"steal()\">x</a>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("<https://x.example/\" onmouseover=\"alert(1)>")]
    [InlineData("[x](https://ok.example){onclick=\"alert(1)\"}")]
    [InlineData("[x](&#106;avascript:alert(1))")]
    public void Nothing_that_can_run_survives(string markdown)
    {
        var document = new HtmlParser().ParseDocument(SafeMarkdown.ToHtml(markdown));

        var elements = document.Body!.QuerySelectorAll("*");
        Assert.DoesNotContain(elements, e => e.LocalName is "script" or "iframe" or "object" or "embed" or "style");
        Assert.DoesNotContain(elements.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(elements.SelectMany(e => e.Attributes), a => a.Name is "href" or "src"
            && !(a.Value.StartsWith("https://", StringComparison.Ordinal) || a.Value.StartsWith("http://", StringComparison.Ordinal)));
    }

    [Fact]
    public void Raw_html_is_shown_as_text()
    {
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", SafeMarkdown.ToHtml("<script>alert(1)</script>"), StringComparison.Ordinal);
    }

    [Fact]
    public void Ordinary_markdown_renders_and_links_open_safely()
    {
        var html = SafeMarkdown.ToHtml("# Plan\n\n- **split** the suite\n- see [the issue](https://gitlab.example/1)\n\n| a | b |\n|---|---|\n| 1 | 2 |");

        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<strong>split</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://gitlab.example/1\"", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_description_renders_nothing()
    {
        Assert.Equal("", SafeMarkdown.ToHtml("  "));
    }
}
