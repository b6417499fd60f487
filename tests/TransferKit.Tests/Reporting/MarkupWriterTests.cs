using System.Xml.Linq;
using TransferKit.Api;
using TransferKit.Reporting;

namespace TransferKit.Tests.Reporting;

public sealed class MarkupWriterTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("a & b \"c\" 'd' > e")]
    [InlineData("]]> <!-- -->")]
    [InlineData("line\nbreak\ttab\rreturn")]
    [InlineData("emoji 🐈 and ünïcödé")]
    public void TextAndAttributesRoundTripThroughAnXmlParser(string data)
    {
        var w = new MarkupWriter();
        w.Open("div", ("title", data)).Element("span", data).Close();
        var root = XElement.Parse(w.ToString());
        Assert.Equal(data.Replace("\r", "", StringComparison.Ordinal), root.Value.Replace("\r", "", StringComparison.Ordinal));
        Assert.Equal(data, (string)root.Attribute("title")!);
        Assert.DoesNotContain("<script", w.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CharactersXmlForbidsBecomeReplacementCharacters()
    {
        string data = "a\u0001b\uFFFEc\uD800d";
        var w = new MarkupWriter();
        w.Element("p", data, ("data-x", data));
        var root = XElement.Parse(w.ToString());
        Assert.Equal("a\uFFFDb\uFFFDc\uFFFDd", root.Value);
        Assert.Equal("a\uFFFDb\uFFFDc\uFFFDd", (string)root.Attribute("data-x")!);
    }

    [Fact]
    public void EmptyHtmlElementsGetEndTagsAndOnlyVoidOrSvgOnesSelfClose()
    {
        var w = new MarkupWriter();
        w.Open("div").Element("span", null).Empty("br").Open("svg").Empty("rect", ("width", "1")).Close().Close();
        Assert.Equal("<div><span></span><br/><svg><rect width=\"1\"/></svg></div>", w.ToString());
        Assert.Throws<InvalidOperationException>(() => new MarkupWriter().Empty("div"));
    }

    [Fact]
    public void NullAttributesAreLeftOutAndUnbalancedMarkupIsRefused()
    {
        var w = new MarkupWriter();
        w.Element("p", "x", ("a", null), ("b", "1"));
        Assert.Equal("<p b=\"1\">x</p>", w.ToString());
        Assert.Throws<InvalidOperationException>(() => new MarkupWriter().Open("p").ToString());
        Assert.Throws<InvalidOperationException>(() => new MarkupWriter().Close());
        Assert.Throws<ArgumentException>(() => new MarkupWriter().Raw("a<b"));
    }
}
