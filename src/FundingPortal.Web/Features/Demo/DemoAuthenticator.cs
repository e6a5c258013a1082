using System.Globalization;
using System.Security.Cryptography;

using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Features.Demo;

/// <summary>
/// The demo admin's authenticator key, fixed and printed at start so a newcomer reaches the admin pages without an authenticator app.
/// Development only: demo data seeded in any other environment leaves the admin without a key (asked to set one up), and the
/// <c>totp</c> verb refuses outside Development.
/// </summary>
public static class DemoAuthenticator
{
    public const string AdminEmail = "admin@demo.fundingportal.local";

    /// <summary>Base32, as authenticator apps take it. Public on purpose: it protects nothing but a demo database.</summary>
    public const string AdminKey = "FUNDINGPORTALDEMOADMINKEYONLY234";

    /// <summary>Gives <paramref name="user"/> the known key and switches two-factor sign-in on.</summary>
    public static async Task GiveKnownKeyAsync(UserManager<ApplicationUser> users, IUserStore<ApplicationUser> store, ApplicationUser user)
    {
        await ((IUserAuthenticatorKeyStore<ApplicationUser>)store).SetAuthenticatorKeyAsync(user, AdminKey, CancellationToken.None);
        Must(await users.SetTwoFactorEnabledAsync(user, true));
    }

    /// <summary>The six-digit code an authenticator app shows at <paramref name="at"/> (RFC 6238: HMAC-SHA1, 30-second steps).</summary>
    public static string Code(string base32Key, DateTimeOffset at)
    {
        var counter = BitConverter.GetBytes(at.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }
#pragma warning disable CA5350 // RFC 6238 authenticator codes are defined over HMAC-SHA1.
        var hash = HMACSHA1.HashData(FromBase32(base32Key), counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var code = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (code % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>Seconds until the code shown at <paramref name="at"/> is replaced by the next one.</summary>
    public static int SecondsLeft(DateTimeOffset at) => 30 - (int)(at.ToUnixTimeSeconds() % 30);

    private static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var output = new List<byte>();
        foreach (var c in text.TrimEnd('=').Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())
        {
            var digit = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                throw new FormatException($"'{c}' is not a base32 digit.");
            }
            value = (value << 5) | digit;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(value >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. output];
    }

    private static void Must(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
