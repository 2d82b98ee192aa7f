using LightNvr.Data;

namespace LightNvr.Auth;

/// <summary>The result of a <see cref="UserAccounts"/> operation: the outcome, the message for a refusal, the user as stored now.</summary>
public sealed record UserAccountResult(UserAccountOutcome Outcome, string? Message = null, UserRecord? User = null)
{
    public bool IsOk => Outcome == UserAccountOutcome.Ok;

    public static UserAccountResult Ok(UserRecord? user = null) => new(UserAccountOutcome.Ok, null, user);
    public static UserAccountResult Invalid(string message) => new(UserAccountOutcome.Invalid, message);
    public static UserAccountResult Forbidden(string message) => new(UserAccountOutcome.Forbidden, message);
    public static UserAccountResult NotFound() => new(UserAccountOutcome.NotFound, "User not found");
    public static UserAccountResult Conflict() => new(UserAccountOutcome.Conflict, "Username already exists");
    public static UserAccountResult WrongPassword() => new(UserAccountOutcome.WrongPassword, "Current password is incorrect");
}
