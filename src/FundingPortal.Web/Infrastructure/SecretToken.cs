using System.Security.Cryptography;
using System.Text;

namespace FundingPortal.Web.Infrastructure;

/// <summary>Random tokens handed out once (API tokens, invitation links). Only <see cref="Hash"/> of one is ever stored.</summary>
public static class SecretToken
{
    public static string New(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
