namespace LightNvr.Auth;

/// <summary>How a <see cref="UserAccounts"/> operation ended; the API maps each to one HTTP status.</summary>
public enum UserAccountOutcome
{
    Ok,
    /// <summary>The input breaks a rule (400).</summary>
    Invalid,
    /// <summary>The caller may not do this (403).</summary>
    Forbidden,
    /// <summary>No such user (404).</summary>
    NotFound,
    /// <summary>The username is taken (409).</summary>
    Conflict,
    /// <summary>The current password given is wrong (401).</summary>
    WrongPassword,
}
