using System.Text.RegularExpressions;

using Microsoft.AspNetCore.Identity;

using Zxcvbn.Matcher;

namespace FundingPortal.Web.Infrastructure;

/// <summary>
/// Refuses passwords that are easy to guess, offline, with zxcvbn's estimate: common passwords, words, names, keyboard
/// patterns, repeats, sequences, dates, and the person's own email address and name. A score below <see cref="MinimumScore"/>
/// (of 0–4) is refused, whatever the length. zxcvbn-core 1.1.17 gives the score and the patterns it found but no wording, so the
/// warning and suggestions are worded here, after the original zxcvbn's, for the pattern that weighs most.
/// </summary>
public sealed partial class PasswordStrength : IPasswordValidator<ApplicationUser>
{
    public const int MinimumScore = 3;

    public const string ErrorCode = "PasswordTooEasyToGuess";

    // zxcvbn's matching grows with the square of the length; its authors suggest judging the first 100 characters.
    private const int JudgedLength = 100;

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            // Identity's own length rule names an empty password.
            return Task.FromResult(IdentityResult.Success);
        }
        var judged = password.Length > JudgedLength ? password[..JudgedLength] : password;
        var estimate = new Zxcvbn.Zxcvbn().EvaluatePassword(judged, UserInputs(user));
        return Task.FromResult(estimate.Score >= MinimumScore
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = ErrorCode, Description = Describe(estimate) }));
    }

    /// <summary>The person's email, user name and display name, whole and word by word, as zxcvbn's extra dictionary.</summary>
    private static List<string> UserInputs(ApplicationUser user)
    {
        var inputs = new List<string>();
        foreach (var value in new[] { user.Email, user.UserName, user.DisplayName })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }
            inputs.Add(value.Trim().ToLowerInvariant());
            inputs.AddRange(Words().Split(value.ToLowerInvariant()).Where(word => word.Length >= 3));
        }
        return inputs.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string Describe(Zxcvbn.Result estimate)
    {
        var (warning, suggestions) = Feedback(estimate.MatchSequence);
        var parts = new List<string> { "This password is too easy to guess." };
        if (warning is not null)
        {
            parts.Add(warning);
        }
        parts.Add("Add another word or two: uncommon words are better.");
        parts.AddRange(suggestions);
        return string.Join(" ", parts);
    }

    /// <summary>What zxcvbn would say about the pattern that covers most of the password (the person's own details first).</summary>
    private static (string? Warning, string[] Suggestions) Feedback(IList<Zxcvbn.Match> matches)
    {
        var patterns = matches.Where(m => m.Pattern != "bruteforce").ToList();
        var main = patterns.FirstOrDefault(m => m is DictionaryMatch { DictionaryName: "user_inputs" })
            ?? patterns.OrderByDescending(m => m.Token.Length).FirstOrDefault();
        var alone = patterns.Count == 1 && matches.Count == 1;
        return main switch
        {
            DictionaryMatch { DictionaryName: "user_inputs" } =>
                ("It contains your email address or name.", ["Avoid your name, email address and words about you."]),
            L33tDictionaryMatch =>
                ("It is a common word or password with predictable substitutions.", ["Substitutions like '@' for 'a' don't help very much."]),
            DictionaryMatch { DictionaryName: "passwords", Rank: var rank } =>
                (!alone ? "It is similar to a commonly used password." : rank <= 10 ? "It is a top-10 common password." : rank <= 100 ? "It is a top-100 common password." : "It is a very common password.", []),
            DictionaryMatch { DictionaryName: "male_names" or "female_names" or "surnames" } =>
                ("Common names and surnames are easy to guess.", []),
            DictionaryMatch =>
                (alone ? "A word by itself is easy to guess." : "Common words and phrases are easy to guess.", []),
            RepeatMatch =>
                ("Repeats like \"aaa\" are easy to guess.", ["Avoid repeated words and characters."]),
            SequenceMatch =>
                ("Sequences like \"abc\" or \"6543\" are easy to guess.", ["Avoid sequences."]),
            SpatialMatch { Turns: 1 } =>
                ("Straight rows of keys are easy to guess.", ["Use a longer keyboard pattern with more turns."]),
            SpatialMatch =>
                ("Short keyboard patterns are easy to guess.", ["Use a longer keyboard pattern with more turns."]),
            DateMatch =>
                ("Dates are often easy to guess.", ["Avoid dates and years that are associated with you."]),
            { Pattern: "year" } =>
                ("Recent years are easy to guess.", ["Avoid recent years and years that are associated with you."]),
            _ => (null, []),
        };
    }

    [GeneratedRegex(@"[^\p{L}\p{N}]+")]
    private static partial Regex Words();
}
