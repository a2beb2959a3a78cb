import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { CAPTURE_MESSAGES, VSCODE_BLOCKED, captureError, inVsCode } from "../src/lib/audio/capture.js";

describe("a microphone blocked in VS Code says so", () => {
  const denied = Object.assign(new Error("Permission denied"), { name: "NotAllowedError" });

  it("recognises VS Code's webview by its origin", () => {
    assert.equal(inVsCode({ protocol: "vscode-webview:" }), true);
    assert.equal(inVsCode({ protocol: "https:" }), false);
    assert.equal(inVsCode(undefined), false);
  });

  it("a denial in VS Code names VS Code, not the browser's site settings", () => {
    const mapped = captureError(denied, { secure: true, vscode: true });
    assert.equal(mapped.reason, "blocked");
    assert.equal(mapped.message, VSCODE_BLOCKED);
    assert.match(mapped.message, /^VS Code notebooks cannot use the microphone \(microsoft\/vscode#119127\)/);
    // Views replace this ending with their own alternative (a file for the recorder, a text box for voice).
    assert.match(mapped.message, /or pass a file or a variable instead\.$/);
    assert.equal(captureError(null, { secure: true, vscode: true }).message, VSCODE_BLOCKED);
  });

  it("elsewhere nothing changes", () => {
    assert.equal(captureError(denied, { secure: true, vscode: false }).message, CAPTURE_MESSAGES.blocked);
    assert.equal(captureError(null, { secure: true, vscode: false }).reason, "unsupported");
  });
});
