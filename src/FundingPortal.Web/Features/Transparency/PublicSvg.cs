using System.Text;

namespace FundingPortal.Web.Features.Transparency;

public sealed record ChartSeries(string Name, string Colour, IReadOnlyList<long> Values);

/// <summary>
/// Small charts and badges drawn as SVG on the server, so they show without JavaScript and in a README. Every text is XML-escaped.
/// </summary>
public static class PublicSvg
{
    private const int Height = 160;
    private const int Bottom = 20;

    // Room on the left for the value axis's labels, and above the highest value.
    private const int Left = 56;
    private const int Top = 8;

    public static string Escape(string text) => System.Security.SecurityElement.Escape(text) ?? "";

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A shields-style badge: a grey label and a coloured value.</summary>
    public static string Badge(string label, string value, string colour)
    {
        var left = 10 + (label.Length * 7);
        var right = 10 + (value.Length * 7);
        var width = left + right;
        var title = Escape($"{label}: {value}");
        return $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{title}"><title>{title}</title><rect width="{left}" height="20" fill="#555"/><rect x="{left}" width="{right}" height="20" fill="{Escape(colour)}"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle"><text x="{N(left / 2.0)}" y="14">{Escape(label)}</text><text x="{N(left + (right / 2.0))}" y="14">{Escape(value)}</text></g></svg>
            """;
    }

    /// <summary>
    /// Bars per label: side by side when <paramref name="stacked"/> is false, one on another when true; the value axis on the left
    /// labelled by <paramref name="axisLabel"/> (a bar's value in the chart's unit, for example minor units to "1.2k").
    /// </summary>
    public static string Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<ChartSeries> series, bool stacked, Func<double, string> axisLabel)
    {
        var slot = 40;
        // At least a year's width, so one month of data does not become one giant bar.
        var width = Left + (Math.Max(12, labels.Count) * slot);
        var max = labels.Count == 0 || series.Count == 0 ? 0 : Enumerable.Range(0, labels.Count)
            .Max(i => stacked ? series.Sum(s => Math.Max(0, s.Values[i])) : series.Max(s => Math.Max(0, s.Values[i])));
        var axis = Axis(max);
        var scale = axis.Max <= 0 ? 0 : (Height - Bottom - Top) / axis.Max;
        var svg = Open(title, width);
        AppendAxis(svg, axis, scale, width, axisLabel);
        for (var i = 0; i < labels.Count; i++)
        {
            var x = Left + (i * slot);
            var baseY = (double)(Height - Bottom);
            var barWidth = stacked ? slot - 8 : (slot - 8) / (double)Math.Max(1, series.Count);
            for (var s = 0; s < series.Count; s++)
            {
                var h = Math.Max(0, series[s].Values[i]) * scale;
                var bx = stacked ? x + 4 : x + 4 + (s * barWidth);
                var by = stacked ? baseY - h : Height - Bottom - h;
                svg.Append(CultureInfo.InvariantCulture,
                    $"""<rect x="{N(bx)}" y="{N(by)}" width="{N(barWidth)}" height="{N(h)}" fill="{Escape(series[s].Colour)}" data-series="{Escape(series[s].Name)}"><title>{Escape($"{labels[i]} {series[s].Name}: {axisLabel(series[s].Values[i])}")}</title></rect>""");
                if (stacked)
                {
                    baseY -= h;
                }
            }
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x + (slot / 2.0))}" y="{Height - 6}" font-size="10" text-anchor="middle" fill="currentColor">{Escape(labels[i])}</text>""");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// A line through the values, with the value axis on the left in <paramref name="unit"/>; a missing value (null) breaks the line and
    /// is drawn as an open circle on the top band labelled <paramref name="missingLabel"/> (for the runway: "not shrinking").
    /// </summary>
    public static string Line(string title, IReadOnlyList<string> labels, IReadOnlyList<decimal?> values, string colour, string unit, string missingLabel)
    {
        var slot = 40;
        var width = Left + (Math.Max(12, labels.Count) * slot);
        var max = values.Where(v => v is not null).Select(v => (double)v!.Value).DefaultIfEmpty(0).Max();
        var axis = Axis(max);
        // The top band holds the points without a value, above the axis's highest value.
        var band = Top + 10;
        var scale = axis.Max <= 0 ? 0 : (Height - Bottom - band) / axis.Max;
        var svg = Open(title, width);
        AppendAxis(svg, axis, scale, width, v => $"{N(v)} {unit}");
        var hasMissing = values.Any(v => v is null);
        if (hasMissing)
        {
            svg.Append(CultureInfo.InvariantCulture,
                $"""<line x1="{Left}" y1="{Top}" x2="{width}" y2="{Top}" stroke="currentColor" stroke-opacity="0.3" stroke-dasharray="3 3"/><text x="{Left - 4}" y="{Top + 3}" font-size="9" text-anchor="end" fill="currentColor">{Escape(missingLabel)}</text>""");
        }
        var points = new List<string>();
        for (var i = 0; i < labels.Count; i++)
        {
            var x = Left + (i * slot) + (slot / 2.0);
            if (values[i] is { } value)
            {
                var y = Height - Bottom - ((double)value * scale);
                points.Add($"{N(x)},{N(y)}");
                svg.Append(CultureInfo.InvariantCulture,
                    $"""<circle cx="{N(x)}" cy="{N(y)}" r="3" fill="{Escape(colour)}"><title>{Escape($"{labels[i]}: {value.ToString("0.#", CultureInfo.InvariantCulture)} {unit}")}</title></circle>""");
            }
            else
            {
                if (points.Count > 0)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"""<polyline points="{string.Join(' ', points)}" fill="none" stroke="{Escape(colour)}" stroke-width="2"/>""");
                    points.Clear();
                }
                svg.Append(CultureInfo.InvariantCulture,
                    $"""<circle cx="{N(x)}" cy="{Top}" r="3" fill="none" stroke="{Escape(colour)}" stroke-width="1.5"><title>{Escape($"{labels[i]}: {missingLabel}")}</title></circle>""");
            }
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x)}" y="{Height - 6}" font-size="10" text-anchor="middle" fill="currentColor">{Escape(labels[i])}</text>""");
        }
        if (points.Count > 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline points="{string.Join(' ', points)}" fill="none" stroke="{Escape(colour)}" stroke-width="2"/>""");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Minor units as a short axis value in major units: 1,250.00 as "1.3k", 2,000,000.00 as "2M".</summary>
    public static Func<double, string> MoneyAxis(string currency)
    {
        var divisor = Math.Pow(10, Core.Domain.Currency.Exponent(currency));
        return minor =>
        {
            var major = minor / divisor;
            return Math.Abs(major) >= 1_000_000 ? $"{N(major / 1_000_000)}M" : Math.Abs(major) >= 1_000 ? $"{N(major / 1_000)}k" : N(major);
        };
    }

    /// <summary>A rounded top for the value axis (1, 2, 2.5 or 5 times a power of ten) and its step, so the axis reads in round numbers.</summary>
    private static (double Max, double Step) Axis(double max)
    {
        if (max <= 0)
        {
            return (0, 0);
        }
        var raw = max / 4;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * power).First(s => s >= raw);
        return (Math.Ceiling(max / step) * step, step);
    }

    private static void AppendAxis(StringBuilder svg, (double Max, double Step) axis, double scale, int width, Func<double, string> label)
    {
        if (axis.Step <= 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left - 4}" y="{Height - Bottom + 3}" font-size="9" text-anchor="end" fill="currentColor" class="axis-value">{Escape(label(0))}</text>""");
            return;
        }
        for (var value = 0.0; value <= axis.Max + (axis.Step / 2); value += axis.Step)
        {
            var y = Height - Bottom - (value * scale);
            svg.Append(CultureInfo.InvariantCulture,
                $"""<line x1="{Left}" y1="{N(y)}" x2="{width}" y2="{N(y)}" stroke="currentColor" stroke-opacity="0.12"/><text x="{Left - 4}" y="{N(y + 3)}" font-size="9" text-anchor="end" fill="currentColor" class="axis-value">{Escape(label(value))}</text>""");
        }
    }

    private static StringBuilder Open(string title, int width) => new StringBuilder().Append(CultureInfo.InvariantCulture,
        $"""<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {Height}" preserveAspectRatio="xMinYMid meet" role="img" aria-label="{Escape(title)}"><title>{Escape(title)}</title><line x1="{Left}" y1="{Height - Bottom}" x2="{width}" y2="{Height - Bottom}" stroke="currentColor" stroke-opacity="0.3"/>""");
}
