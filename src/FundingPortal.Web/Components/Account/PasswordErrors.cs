using System.Linq.Expressions;

using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Components.Account;

/// <summary>
/// Puts Identity's refusals of a new password (too short, too easy to guess, with what to do instead) under the password field,
/// where the form's own validation messages appear; the other errors are returned for the page's status message.
/// </summary>
internal static class PasswordErrors
{
    public static List<IdentityError> ShowOnField<TField>(this EditContext form, IEnumerable<IdentityError> errors, Expression<Func<TField>> passwordField) =>
        form.ShowOnField(errors, passwordField, IsAboutTheNewPassword);

    /// <summary>Puts the errors <paramref name="belongs"/> picks under <paramref name="onField"/>; returns the others.</summary>
    public static List<IdentityError> ShowOnField<TField>(this EditContext form, IEnumerable<IdentityError> errors, Expression<Func<TField>> onField,
        Func<IdentityError, bool> belongs)
    {
        var field = FieldIdentifier.Create(onField);
        var messages = new ValidationMessageStore(form);
        var others = new List<IdentityError>();
        foreach (var error in errors)
        {
            if (belongs(error))
            {
                messages.Add(field, error.Description);
            }
            else
            {
                others.Add(error);
            }
        }
        form.NotifyValidationStateChanged();
        return others;
    }

    // PasswordMismatch is Identity's "Incorrect password." for the current password, not a rule the new one broke.
    private static bool IsAboutTheNewPassword(IdentityError error) =>
        error.Code.StartsWith("Password", StringComparison.Ordinal) && error.Code != nameof(IdentityErrorDescriber.PasswordMismatch);
}
