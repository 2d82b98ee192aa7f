using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Auth;
using LightNvr.Data;

namespace LightNvr.Api.Users;

/// <summary>
/// The user endpoints a non-admin may call on their own account: profile update, password change, API key.
/// Mapped by <see cref="UserEndpoints"/>; the policy is Viewer and the self-or-admin rule is checked here.
/// </summary>
public static class UserAccountEndpoints
{
    public static async Task<IResult> UpdateAsync(string id, HttpContext context, UserAccounts accounts)
    {
        if (UserEndpoints.ParseId(id) is not { } userId)
        {
            return ApiErrors.BadRequest("Invalid user ID");
        }
        var caller = Caller.From(context.User)!;
        if (!UserAccounts.MayManage(caller, userId))
        {
            return ApiErrors.Forbidden("You can only update your own account");
        }
        var (body, error) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }
        var f = new RequestFields(body);
        // Mentions, not Has: a JSON null clears a restriction, so naming the field at all is admin-only.
        if (!caller.IsAdmin && UserRequest.AdminOnlyFields.Any(f.Mentions))
        {
            return ApiErrors.Forbidden("You can only update your own username and email");
        }
        var change = UserRequest.ReadChange(f);
        var result = await accounts.UpdateAsync(userId, change, UserRequest.Error(f), context.RequestAborted).ConfigureAwait(false);
        return UserAccountReply.User(result);
    }

    public static async Task<IResult> ChangePasswordAsync(string id, HttpContext context, UserAccounts accounts)
    {
        if (UserEndpoints.ParseId(id) is not { } userId)
        {
            return ApiErrors.BadRequest("Invalid user ID");
        }
        var caller = Caller.From(context.User)!;
        if (!UserAccounts.MayManage(caller, userId))
        {
            return ApiErrors.Forbidden("You can only change your own password");
        }
        var (body, error) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return error!;
        }
        var f = new RequestFields(body);
        var (newPassword, oldPassword) = (f.String("new_password"), f.String("old_password", UserAccounts.MaxPasswordLength));
        if (f.Error is { } fieldError)
        {
            return ApiErrors.BadRequest(fieldError);
        }
        var result = await accounts.ChangePasswordAsync(caller, userId, newPassword, oldPassword, context.RequestAborted).ConfigureAwait(false);
        return UserAccountReply.From(result, _ => JsonReply.Success());
    }

    public static async Task<IResult> NewApiKeyAsync(string id, HttpContext context, UserStore users)
    {
        if (UserEndpoints.ParseId(id) is not { } userId)
        {
            return ApiErrors.BadRequest("Invalid user ID");
        }
        var caller = Caller.From(context.User)!;
        if (!caller.IsAdmin && !(caller.Role == Role.User && caller.UserId == userId))
        {
            return ApiErrors.Forbidden("Forbidden: You can only generate API keys for yourself unless you are an admin");
        }
        if (await users.GetAsync(userId, context.RequestAborted).ConfigureAwait(false) is null)
        {
            return ApiErrors.NotFound("User not found");
        }
        var key = SecretTokens.New(SecretTokens.ApiKeyLength);
        await users.SetApiKeyHashAsync(userId, SecretTokens.Hash(key), context.RequestAborted).ConfigureAwait(false);
        return JsonReply.Ok(new JsonObject { ["success"] = true, ["api_key"] = key });
    }
}
