import OpenAPIKit

extension SignupRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "name": .string(minLength: 1, maxLength: 100),
            "email": .string(format: .email),
            "phone": .string(pattern: "^\\+?[0-9]{7,15}$"),
            "password": .string(minLength: 8, maxLength: 72),
        ])
    }
}

extension LoginRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "email": .string(format: .email), "password": .string,
            "cookie": .boolean(
                required: false,
                description: "true (the web client): the refresh token is set as the bx_refresh cookie (HttpOnly, "
                    + "Secure, SameSite=Strict, Path=/users/refresh) and left out of the body"),
        ])
    }
}

extension RefreshRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "refresh_token": .string(
                required: false, description: "Omit it (or send no body) to use the bx_refresh cookie instead")
        ])
    }
}

extension TokenResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "access_token": .string(description: "Bearer token for API calls, valid for expires_in seconds"),
            "refresh_token": .string(
                required: false,
                description: "Single use: POST /users/refresh rotates it. Absent when it was set as the bx_refresh "
                    + "cookie (login with cookie: true, or a refresh by cookie)"),
            "token_type": .string(allowedValues: "bearer"),
            "expires_in": .integer,
        ])
    }
}

extension UserResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .uuid,
            "name": .string,
            "email": .string(format: .email),
            "phone": .string,
            "role": .enumeration(UserRole.self),
            "is_disabled": .boolean,
            "created_at": .nullableTimestamp,
            "updated_at": .nullableTimestamp,
        ])
    }
}

extension UpdateMeRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "name": .string(required: false, minLength: 1, maxLength: 100),
            "email": .string(format: .email, required: false),
            "phone": .string(required: false, pattern: "^\\+?[0-9]{7,15}$"),
        ])
    }
}

extension ChangePasswordRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["current_password": .string, "new_password": .string(minLength: 8, maxLength: 72)])
    }
}

extension AdminUpdateUserRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "role": .enumeration(UserRole.self, required: false),
            "disabled": .boolean(required: false),
        ])
    }
}
