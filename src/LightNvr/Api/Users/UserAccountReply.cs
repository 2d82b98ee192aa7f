using LightNvr.Api.Http;
using LightNvr.Auth;

namespace LightNvr.Api.Users;

/// <summary>Turns a <see cref="UserAccountResult"/> into HTTP: one status per outcome, upstream's error body.</summary>
public static class UserAccountReply
{
    public static IResult From(UserAccountResult result, Func<UserAccountResult, IResult> ok) => result.Outcome switch
    {
        UserAccountOutcome.Ok => ok(result),
        UserAccountOutcome.Forbidden => ApiErrors.Forbidden(result.Message!),
        UserAccountOutcome.NotFound => ApiErrors.NotFound(result.Message!),
        UserAccountOutcome.Conflict => ApiErrors.Conflict(result.Message!),
        UserAccountOutcome.WrongPassword => ApiErrors.Unauthorized(result.Message!),
        _ => ApiErrors.BadRequest(result.Message!),
    };

    /// <summary>The user as stored now, as the user JSON.</summary>
    public static IResult User(UserAccountResult result) => From(result, r => JsonReply.Ok(UserEndpoints.ToJson(r.User!)));
}
