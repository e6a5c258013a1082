using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

using MimeKit;

namespace FundingPortal.BrowserTests;

public sealed record ReceivedEmail(string File, string Subject, string HtmlBody)
{
    /// <summary>The targets of the body's links, HTML-decoded (the body is HTML, so <c>&amp;</c> arrives as <c>&amp;amp;</c>).</summary>
    public IReadOnlyList<Uri> Links =>
        [.. Mailbox.Href().Matches(HtmlBody).Select(m => new Uri(WebUtility.HtmlDecode(m.Groups["url"].Value), UriKind.Absolute))];

    public Uri SingleLink => Links.Count == 1
        ? Links[0]
        : throw new InvalidOperationException($"Expected one link in '{Subject}' ({File}), found {Links.Count}:\n{HtmlBody}");
}

/// <summary>
/// The portal's mail pickup folder: every email is an <c>.eml</c> file there. MimeKit parses them, so quoted-printable and
/// base64 bodies read the same.
/// </summary>
public sealed partial class Mailbox(string folder)
{
    /// <summary>The newest email to <paramref name="address"/> whose subject contains <paramref name="subjectContains"/>, waiting briefly for it.</summary>
    public async Task<ReceivedEmail> LatestAsync(string address, string subjectContains, TimeSpan? timeout = null)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (Find(address, subjectContains) is [var email, ..])
            {
                return email;
            }
            if (waited.Elapsed > (timeout ?? TimeSpan.FromSeconds(10)))
            {
                var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml").Length : 0;
                throw new TimeoutException($"No email to {address} with '{subjectContains}' in the subject in {folder} ({files} .eml files there).");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Every email to <paramref name="address"/> (any subject when <paramref name="subjectContains"/> is empty), newest first.</summary>
    public IReadOnlyList<ReceivedEmail> Find(string address, string subjectContains = "")
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }
        var found = new List<(DateTime Written, ReceivedEmail Email)>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.eml"))
        {
            if (TryLoad(file) is not { } message)
            {
                continue;
            }
            using (message)
            {
                var to = message.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase));
                if (to && (message.Subject ?? "").Contains(subjectContains, StringComparison.Ordinal))
                {
                    found.Add((File.GetLastWriteTimeUtc(file), new ReceivedEmail(file, message.Subject ?? "", message.HtmlBody ?? message.TextBody ?? "")));
                }
            }
        }
        return [.. found.OrderByDescending(f => f.Written).ThenByDescending(f => f.Email.File, StringComparer.Ordinal).Select(f => f.Email)];
    }

    private static MimeMessage? TryLoad(string file)
    {
        try
        {
            return MimeMessage.Load(file);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            // Still being written by the portal: the next poll reads it whole.
            return null;
        }
    }

    [GeneratedRegex("href=\"(?<url>[^\"]+)\"", RegexOptions.IgnoreCase)]
    internal static partial Regex Href();
}
