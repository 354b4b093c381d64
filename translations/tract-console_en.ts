<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
<context>
    <name>LayoutBuilder</name>
    <message>
        <source>(no label)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 joined the chat</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (%2) joined the chat</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Chat completed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>System event: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>System event</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Native app action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Native app action: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(untyped)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Silent action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Silent action: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>invalid message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unsupported %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Form (read-only)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>field</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hide raw JSON</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show raw JSON</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>MessageLayout</name>
    <message>
        <source>Quick reply “%1”: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Video: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Image could not be loaded: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Image: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hide the message as received</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show the message as received (JSON)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Opens %1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Quick replies: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (link to %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Button: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buttons: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Image: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Image.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Carousel with 1 card: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Carousel with %1 cards: %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Form</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fields: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unsupported message type %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invalid message: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Card: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Video %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Image %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hide raw JSON</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show raw JSON</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Raw JSON</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Field %1 (%2)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>QGnomeTheme</name>
    <message>
        <source>&amp;OK</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Close</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Close without Saving</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select All</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save All</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;No</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Abort</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ignore</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Help</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Apply</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reset</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>QWidgetTextControl</name>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy &amp;Link Location</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select All</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ThreadListModel</name>
    <message>
        <source>User</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Platform</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Owner since</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last activity</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unread</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>With the team</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>queued</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>assigned to %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>waiting %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
    <message>
        <source>last message: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>, </source>
        <comment>between the parts of a thread's summary for a screen reader</comment>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ThreadState</name>
    <message>
        <source>Bot</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting for agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>With me</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>With another receiver</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Complete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 d</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>console</name>
    <message>
        <source>cannot create the data directory %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected HOST:PORT, e.g. 127.0.0.1:8471</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>'%1' is not an IP address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no stored user '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot open the store %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot listen on %1:%2: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT Console cannot start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>could not restart</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no stored conversations in %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Token not saved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The token could not be stored in the keychain: %1
Set TRACT_TOKEN instead.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connecting to the hub at %1…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT Console</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Desktop agent console for Haptik's TRACT API</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Render one HSL message to a PNG and exit.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The PNG written by --render-hsl.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Image width for --render-hsl.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The language of the window and messages, e.g. es or hi (default: View → Language, else the system's).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>light or dark, for --render-hsl.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--width: expected a number of pixels, got "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the signing key was not stored in the keychain (%1); name the 0600 file with --signing-key instead</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>signing key (%1) stored in the keychain for client id '%2'</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>console::ConsoleLauncher</name>
    <message>
        <source>no TRACT token: set TRACT_TOKEN or store one in the keychain (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot keep the hook path secret: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no keychain reachable: the token comes from TRACT_TOKEN and the hook path secret is kept in a file only you can read in %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--hook-secret-from-env: TRACT_HOOK_SECRET is empty or not set</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no signing key for client id '%1' in the keychain: store one with --import-signing-key FILE, or name a 0600 file with --signing-key</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot read the signing key from the keychain (%1); name a 0600 file with --signing-key instead</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the signing key in the keychain cannot be used: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT did not issue an access token: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT did not issue an access token yet (%1); trying again in %2 s and after that</source>
        <extracomment>%2: seconds until the next try</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no keychain reachable: the hook path secret is kept in a file only you can read in %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>console::ConsoleOptions</name>
    <message>
        <source>Base URL of the TRACT API.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your ECT client id at Haptik.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Address and port of the webhook listener; port 0 picks a free one.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Base URL TRACT reaches the listener at (reverse proxy, tunnel).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Where conversations are stored.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This console's id among thread-control listeners.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Require hook signatures; the secret is read from TRACT_HOOK_SECRET.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run listener, client and store without a window.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Start a built-in sandbox and connect to it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Print stored conversations of a user (or all) and exit.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export format.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected an http or https URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>must not be empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected json or text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a user id or 'all'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--headless needs --tract-url</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run as the team hub: headless, owning the TRACT registration, serving consoles.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Address and port of the hub's WebSocket server; port 0 picks a free one.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>PEM certificate: the hub serves wss://.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>PEM private key for --hub-tls-cert.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An Origin allowed to connect to the hub (repeatable); others are refused.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seconds an agent may be disconnected before its threads return to the queue.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Events the hub keeps for consoles to resume from.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add an agent to the hub in --data-dir and print its token.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Revoke an agent of the hub in --data-dir.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>List the agents of the hub in --data-dir.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Role of --hub-add-agent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open threads --hub-add-agent is routed at once.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--hub-tls-cert and --hub-tls-key go together</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected 0 to 86400 seconds</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a number of events, at least 100</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>one of --hub-add-agent, --hub-remove-agent and --hub-list-agents at a time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected an agent name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected agent or supervisor</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected 1 to 1000 open threads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>agent administration needs the hub's --data-dir</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--hub needs --tract-url</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open the window as a member of a team, fed by the hub at this URL.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Read the agent token from TRACT_AGENT_TOKEN (then kept in the keychain).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a ws:// or wss:// URL, e.g. ws://127.0.0.1:8472</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a team console talks to its hub only: drop --hub, --headless, --demo and --tract-url</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>goes with --hub-url</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Private key (PEM, mode 0600) that signs the access-token request; default: the keychain.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SignatureCertUUID of the certificate shared with Haptik: get the access token by a signed request.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This ECT's FQDN, as in the shared certificate.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Store this private key (PEM, mode 0600) in the keychain for --client-id and exit.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a PEM private key file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected up to 128 letters, digits, '.', '_' or '-'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a host name like ect.example.com</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--cert-uuid needs --fqdn</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>goes with --cert-uuid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the demo and a team console get no token from TRACT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete completed conversations last active more than N days ago, in the background; 0 keeps everything. Default: the setting, else 0.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected 0 (keep everything) to %1 days, got "%2"</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>console::HubBackend</name>
    <message>
        <source>The hub answered: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The hub at %1 refused this agent's token (revoked or wrong).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The hub at %1 refused this agent's token: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot create a private directory for the hub's threads: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hub: %1 (supervisor)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hub: %1 (agent)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connecting to the hub…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The hub refused the token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not connected to the hub</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The hub may already have this reply: it can be cancelled once the hub has answered.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>console::LocalBackend</name>
    <message>
        <source>A hook was refused with %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hook %1/%2 not registered: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT unreachable, retrying in %1 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT reachable</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT refuses the token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT unreachable</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Checking TRACT…</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>console::TranslationLoader</name>
    <message>
        <source>no %1 translation in %2: using English</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot read the %1 translation %2 (damaged?): using English</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown language "%1": using English</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>console::WindowController</name>
    <message>
        <source>Reply not saved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The reply could not be saved: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>You took control.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Control passed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Control requested; the owner will answer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>wants to talk to an agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Settings saved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connection settings take effect when TRACT Console starts next time.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not saved in the keychain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Replies not sent yet</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n reply(s) have not reached the hub yet and will be lost if you quit now.</source>
        <translation>
            <numerusform>%n reply has not reached the hub yet and will be lost if you quit now.</numerusform>
            <numerusform>%n replies have not reached the hub yet and will be lost if you quit now.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hsl</name>
    <message>
        <source>empty label</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>label longer than 256 characters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>label longer than %1 characters; some channels cut it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>more than 100 items</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>only TEXT and BUTTON messages can be sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>longer than 65536 characters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>quick replies must be TEXT_ONLY</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>at least one button</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>more than %1 buttons; quick replies suit more options</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected an http or https URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>only LINK and TEXT_ONLY buttons can be sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unreadable message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Quick replies: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>🔗 %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>🖼 Image</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>🖼 %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>▶ Video</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>▶ %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Carousel: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Form</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Form: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Silent action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>App action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>App action: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>[unsupported %1]</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected string</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected object</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected array</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>missing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected at least one card</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>larger than 1048576 bytes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>nested deeper than 32 levels</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not JSON</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected HSL object, got a string</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>out of memory</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>internal error</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected object or string</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>hslui</name>
    <message>
        <source>--render-hsl needs a GUI application instance</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--render-hsl: no input file given</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--render-hsl: --output OUT.png is required</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--width: expected %1 to %2 pixels, got %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--theme: expected light or dark, got "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: invalid HSL: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot write %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>http</name>
    <message>
        <source>store unavailable; retry later</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>listener</name>
    <message>
        <source>missing X-Hub-Signature or X-Hub-Signature-256 header</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>X-Hub-Signature-256 does not match the body</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>X-Hub-Signature does not match the body</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>registration</name>
    <message>
        <source>pending</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>registered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sandbox</name>
    <message>
        <source>expected milliseconds between 0 and 3600000</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>required field missing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected string</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>must not be empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>'%1' is not a listener on this thread</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>only primary receivers (iva, sac) may take control</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>only the owner (%1) may pass control</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>'%1' already owns this thread</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>control may only be passed to a primary or the default receiver</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>request is not supported</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the owner (%1) does not answer control requests</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown thread-control type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A local TRACT server with a simulated bot and end users, for development, tests and demos.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>signed token issue: SignatureCertUUID %1, certificate valid %2 to %3</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sandbox::LoadSpec</name>
    <message>
        <source>'%1' is not key=positive number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>users must be a whole number up to 1000000</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown key '%1' (use users, rate, duration)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected users=N,rate=R,duration=S</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sandbox::Reader</name>
    <message>
        <source>required field missing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected string</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a number from 0 to 86400000</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sandbox::SandboxConfig</name>
    <message>
        <source>'%1' is not a number of seconds between 0 and 86400</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>at most 100 retries</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Address and port to listen on; port 0 picks a free one.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The ECT client id TRACT expects.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The bearer token TRACT expects.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign every hook with HMAC-SHA1/SHA256 of this secret.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Scenario to play: a name under resources/scenarios or a JSON file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seconds between hook delivery retries.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Apply Haptik's documented thread-control rules.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Generate load and report delivery figures, then exit.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seed for the simulated participants' choices.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Milliseconds the bot takes to answer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Milliseconds before a simulated user answers an agent; 0 never.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Milliseconds before the bot or SAC grants a control request.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Milliseconds to wait for a hook acknowledgement.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected HOST:PORT, e.g. 127.0.0.1:8470</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>'%1' is not an IP address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>must not be empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>'iva' and 'sac' are Haptik's own receivers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a non-negative whole number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>must be positive</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Issue access tokens to requests signed with this certificate's key and accept only those tokens.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The SignatureCertUUID of --require-signed-token (default: derived from the certificate, printed at start).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seconds an issued access token is valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a PEM certificate file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected up to 128 letters, digits, '.', '_' or '-'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>goes with --require-signed-token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected 1 to 86400 seconds</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sandbox::SandboxServer</name>
    <message>
        <source>cannot listen on %1:%2: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>method %1 not allowed; use GET</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no such endpoint: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>method %1 not allowed; use %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>missing or unknown client-id header</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>missing or wrong Authorization: Bearer token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the control API answers loopback clients only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown hook %1/%2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected an absolute http or https URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown user_id '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a string holding serialized HSL JSON</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected object</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected an HSL object with a string "type"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a non-empty string, or message_body</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected string or object</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>'%1' is not a listener (iva, sac or %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no such media</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no such media: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>missing Authorization: Bearer token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SignatureCertChainUrl is not supported here; pre-share the certificate and send SignatureCertUUID</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>missing SignatureCertUUID header</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SignatureCertUUID names no certificate known here</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>missing Signature header</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the body is larger than %1 bytes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown client id '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is %2 s from TRACT's clock (%3); at most %4 s are allowed</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sandbox::SandboxWorld</name>
    <message>
        <source>unknown user_id '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>user '%1' is owned by '%2'; only the owner may message the user (take or request control first)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>message_body.type: unknown HSL type '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>IVA (bot)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Smart Agent Chat</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>External chat tool (%1)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sandbox::Scenario</name>
    <message>
        <source>no file '%1' and no built-in scenario of that name (built in: %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>larger than 16 MiB</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>invalid JSON at offset %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a JSON object</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected an HSL object with a string "type"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a step needs one of say, message_body, event, owner or complete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>at least 100</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sandbox::SimulatedBot</name>
    <message>
        <source>Details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Basic</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>₹199 / month</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>1 device, standard support</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>I choose the Basic plan</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Plus</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>₹399 / month</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>3 devices, priority support</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>I choose the Plus plan</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Family</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>₹599 / month</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>6 devices, a dedicated agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>I choose the Family plan</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Here are our plans</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>These might help:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open help centre</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Download invoice (PDF)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Talk to an agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>I want to talk to an agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Please fill in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Street and number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>City</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mumbai</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pune</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bengaluru</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sure, let me connect you to one of our agents. Please stay with me.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connecting you to an agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>*Great choice!* To finish, I need your delivery address.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Would you like to compare them?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Help links</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Our flagship store</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Happy to help. Have a lovely day!</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>there</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hi %1! I'm the demo assistant. What can I do for you?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>See plans</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show the store</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thanks! Can you check my order status too?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Okay, that makes sense.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>How long will that take?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Great, thank you so much!</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>secrets::ConsoleSecrets</name>
    <message>
        <source>No token is stored for client id '%1'. Enter it in the connection settings or set TRACT_TOKEN.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Set TRACT_TOKEN to pass the token instead.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--agent-token-from-env: TRACT_AGENT_TOKEN is empty or not set</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The agent token was not saved in the keychain (%1); pass it with --agent-token-from-env next time too.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No agent token is stored for the hub at %1. Ask your supervisor for one and start once with TRACT_AGENT_TOKEN set and --agent-token-from-env.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pass the token with TRACT_AGENT_TOKEN and --agent-token-from-env.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>secrets::FileSecretFallback</name>
    <message>
        <source>No secret file for '%1' in %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refusing to read %1: it is not a regular file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refusing to read %1: it belongs to another user.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refusing to read %1: other users may read it (mode %2). Treat the secret as leaked: replace it, then make the file private with chmod 600.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Could not create the private directory %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Could not make %1 private to its owner.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Could not delete %1: %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>secrets::SecretStore</name>
    <message>
        <source>The keychain has no entry '%1'.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The keychain refused access to '%1': %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The keychain failed on '%1': %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The keychain could not delete '%1': %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No keychain is reachable (is a Secret Service such as GNOME Keyring or KWallet running?): %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The keychain did not answer about '%1' within %2 s. Is an unlock prompt waiting for your password?</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>store</name>
    <message>
        <source>[Image]</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract</name>
    <message>
        <source>End user</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bot</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Haptik</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>External chat tool</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Android</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Facebook</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Jio</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>WebSDK</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>iOS</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Voice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Kookoo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Phonecom</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Webhook</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>WhatsApp</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Jio Connector</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>IVR</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ISON</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>JIO IVR</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SMS Gupshup</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Netcore</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Google Business Messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sunshine Zendesk</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Platform %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT answered the request to %1 with something the console cannot read: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT refused to %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>success is false</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::OutboxSender</name>
    <message>
        <source>stored request is unreadable: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::TokenKeeper</name>
    <message>
        <source>the console is stopping</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT issued an access token that has already expired</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::TractCall</name>
    <message>
        <source>No TRACT server address is set, or it is not a valid URL.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT at %1 did not answer within %2 s.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Could not connect to TRACT at %1: connection refused.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Could not find the TRACT server %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT at %1 closed the connection before answering.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secure connection to TRACT at %1 failed: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The TRACT address %1 is not an http or https URL.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Could not talk to TRACT at %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT is limiting requests (HTTP 429); try again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT failed to %1 (HTTP %2): %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT did not accept the credentials (HTTP 401): %1. Check the token and the client id.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT refused: %1 (HTTP 403)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT could not %1: %2 (HTTP 404)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT rejected the request to %1: %2 (HTTP 400)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT could not %1 (HTTP %2): %3</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>(gave up after %n attempt(s))</source>
        <extracomment>%n: attempts made, including the first</extracomment>
        <translation>
            <numerusform>(gave up after %n attempt)</numerusform>
            <numerusform>(gave up after %n attempts)</numerusform>
        </translation>
    </message>
    <message>
        <source>A new access token could not be had: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::TractClient</name>
    <message>
        <source>register the %1/%2 hook</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>list the registered hooks</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>get user '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>get details of user '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>send the message to user '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>send the %1/%2 event for user '%3'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>fetch the listeners of user '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>take control of user '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>pass control of user '%1' to '%2'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>request control of user '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no reason given</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>issue an access token</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::WebhookListener</name>
    <message>
        <source>method not allowed; TRACT hooks use POST</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not found</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown hook %1/%2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected Content-Type: application/json</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::auth</name>
    <message>
        <source>the access token is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the access token is longer than %1 bytes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the access token is not a JWT (three dot-separated parts)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the access token is not a JWT (its parts are not base64url)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the access token is not a JWT (header and claims are not JSON objects)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the body is larger than %1 bytes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the body is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the body is not JSON: %1 at offset %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the body is not a JSON object</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>required field missing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected string</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>must not be empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the access token was not issued by this TRACT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the access token has no expiry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the access token expired at %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the certificate is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the certificate is larger than %1 bytes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>out of memory</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not a PEM certificate (-----BEGIN CERTIFICATE-----)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the certificate's validity dates cannot be read</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the certificate's public key cannot be read</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot compute the certificate's fingerprint</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot read the certificate %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the signing certificate is not valid before %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the signing certificate expired at %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>'%1' is not among the signing certificate's DNS names</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the Signature header is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the Signature header is longer than 4096 characters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the Signature header is not base64</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot verify signatures with this certificate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the signature does not match the body and the signing certificate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the private key is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the private key is larger than %1 bytes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the private key is not in PEM format (-----BEGIN PRIVATE KEY-----)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the private key is encrypted; store it unencrypted in a file only you can read, or in the keychain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the private key cannot be read</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the RSA key has %1 bits; at least 2048 are needed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the private key is neither RSA nor EC</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot read the private key %1: no such file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>refusing the private key %1: it is not a regular file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>refusing the private key %1: it belongs to another user</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>refusing the private key %1: other users may read it (mode 0%2); make it private with chmod 600, and consider the key leaked</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the private key %1 is larger than %2 bytes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot read the private key %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no private key</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot sign the request</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected ISO 8601 UTC time like 2026-12-07T09:30:00Z</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected "Bearer"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a number of seconds</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected 1 to %1 seconds</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the JWT's exp claim is not a time</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::hub::HubCommands</name>
    <message>
        <source>the hub could not store the answer: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>only a supervisor can assign threads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1's thread is assigned to %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1's thread is not assigned to you; take it first</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown action "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>action is missing or not a string</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>status must be "online" or "away"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no reply with outbox_id %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>that reply was sent by %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>only a failed reply can be retried</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>only a pending or failed reply can be cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>user_id is missing or not a string</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>message_body must be an HSL object (or a string holding one)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>there is no conversation with %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the reply could not be stored: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the event could not be stored: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>agent must be a string (empty: the queue)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no such agent: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no such user: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>to is missing: the listener to pass the thread to (iva, sac, …)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::hub::HubDatabase</name>
    <message>
        <source>cannot create the data directory %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot open %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot prepare %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>an agent name has 1 to 64 characters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>an agent name cannot contain control characters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>an agent name cannot start or end with a space</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected 1 to 1000 open threads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>an agent named %1 exists already; remove it first to issue a new token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no agent named %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::hub::HubServer</name>
    <message>
        <source>--hub-tls-cert and --hub-tls-key go together</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot read %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 holds no PEM private key (RSA or EC, unencrypted)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the hub cannot listen on %1:%2: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no hello within 5 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>only text frames</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>say hello first</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the frame is not JSON: %1 at offset %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a frame must be a JSON object</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>hello was said already</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown frame type "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>type is missing or not a string</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a command needs an id: a string of 1 to 128 characters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>too many commands</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>too many commands: at most 20 a second; send it again later</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not authenticated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the hub is shutting down</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::hub::TeamHub</name>
    <message>
        <source>token revoked</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::team::TeamState</name>
    <message>
        <source>%1's thread is assigned to %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is waiting in the queue: take the thread first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1's thread is not assigned to you: take it first.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::views</name>
    <message>
        <source>no owner</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>owner: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::views::EventFeedModel</name>
    <message>
        <source>%1 sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 queued for retry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>local</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Direction</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Handed over to agents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Conversation complete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting for the end user</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An agent joined</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>With the bot again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>User created</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Chat received by an agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Chat allocated to an agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>End user timed out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Transferred</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Entity updated</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>tract::views::TeamModel</name>
    <message>
        <source>Online</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Away</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (you)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open threads: %1 of a capacity of %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Presence</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Load</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Threads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Longest wait</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::AlertBanner</name>
    <message>
        <source>Alert</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Open</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open the thread</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dismiss the alert</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n more since you last looked</source>
        <translation>
            <numerusform>%n more since you last looked</numerusform>
            <numerusform>%n more since you last looked</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::CannedResponsePicker</name>
    <message>
        <source>Canned responses</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search canned responses</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No canned response matches.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>↑↓ to move, Enter to insert, Esc to close</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::CannedResponses</name>
    <message>
        <source>Hi {name}, I'm {agent} and I'll help you from here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thanks for waiting, {name}. I'm looking into this and will be back in a moment.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Let me check that for you. It may take a minute or two.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>I'm sorry for the trouble, {name}. Let's get this sorted.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>I'm passing you to a colleague who can help with this. Please stay in the chat.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Is there anything else I can help you with?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thank you, {name}!</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thanks for chatting with us, {name}. Have a great day!</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>there</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>your agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::ClearButton</name>
    <message>
        <source>Clear</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::Composer</name>
    <message>
        <source>Take control</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Take control of this thread (Ctrl+T)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Write a reply… (Enter sends, Shift+Enter new line, / for canned responses)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reply</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Quick replies &amp;&amp; buttons…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Build a reply with quick replies or buttons, previewed as the end user will see it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send reply</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a conversation to reply.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This message cannot be sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Why you cannot reply</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::ConversationView</name>
    <message>
        <source>Conversation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>End user</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bot</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Agent chat tool</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>You</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Haptik</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No messages in this conversation yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a conversation on the left</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>✓ Sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>⚠ Not delivered: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open link</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open this link on %1 in your browser?

%2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy selection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy message text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy message JSON</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show raw JSON</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2</source>
        <comment>a message for a screen reader: who and when, then what</comment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>a reply for a screen reader, then its delivery state</comment>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::DesktopNotifications</name>
    <message>
        <source>TRACT Console</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::ElidedLabel</name>
    <message>
        <source>Copy</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::EventFeedPanel</name>
    <message>
        <source>&amp;Category:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Event category</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Conversation state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Agent events</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>User events</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thread control</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Outbox</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Number of events</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show raw &amp;JSON</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show raw JSON</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Event feed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Raw JSON of the selected event</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select an event to see its raw JSON.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n event</numerusform>
            <numerusform>%n events</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ui::FirstRunDialog</name>
    <message>
        <source>Welcome to TRACT Console</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT Console lets your agents chat with Haptik end users. Nothing is configured yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Try the demo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Start the built-in sandbox with simulated users and a bot. No Haptik account needed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connect to TRACT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter your TRACT URL, client id and token.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::MainWindow</name>
    <message>
        <source>&amp;Conversations</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Ownership board</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search threads (Ctrl+K)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search threads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mine</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bot</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Complete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show %1 threads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Longest waiting first</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Latest activity first</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sort threads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Threads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Jump to new messages</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>↓ %n new message(s)</source>
        <translation>
            <numerusform>↓ %n new message</numerusform>
            <numerusform>↓ %n new messages</numerusform>
        </translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thread control</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Thread</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Jump to thread…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Previous thread</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Alt+Up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Next thread</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Alt+Down</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Take control</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+T</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Pass control to…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+Shift+P</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Request control</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;About TRACT Console</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>About TRACT Console</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT Console %1
A desktop agent console for Haptik's TRACT API.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source> SANDBOX DEMO </source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connected to the built-in tract-sandbox: simulated users and bot, no Haptik account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hook registrations</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Listening on %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hooks %1 of %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Click for the state of each hook registration</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Outbox empty</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n reply(ies) waiting to send</source>
        <translation>
            <numerusform>%n reply waiting to send</numerusform>
            <numerusform>%n replies waiting to send</numerusform>
        </translation>
    </message>
    <message>
        <source>No registration attempted yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT Console</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source> — Sandbox demo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(%1) %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No conversation open</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pick a thread on the left, or press Ctrl+K to find one.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>conversation %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This conversation is complete. It reopens when the end user writes again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The bot owns this thread. Take control to reply.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 owns this thread. Take or request control to reply.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bot (iva): completes the conversation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Haptik agent chat (sac)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;System</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Light</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Complete conversation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>T&amp;eam</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Away</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+Shift+A</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Away: keep your threads and get no new ones</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A&amp;ssign open thread to…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hub connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Away</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>My presence</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Online: the hub routes new threads to you. Away: you keep your threads and get no new ones (Ctrl+Shift+A)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>in the queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>assigned to you</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>assigned to %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Team</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Team board</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mine (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show threads assigned to me</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Queue (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show the team's queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All team</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show all the team's threads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Assign thread</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Views</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thread details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+Shift+T</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT Console speaks the new language after a restart.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Restart now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Later</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;System language</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Side &amp;panels</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+Shift+D</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 hidden to make room (View menu, %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open thread</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thread state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thread &amp;list</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+Shift+L</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::Notifier</name>
    <message>
        <source>A user</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is waiting for an agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The bot handed the conversation over.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New message from %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT Console: no unread messages</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>TRACT Console: %n unread message(s)</source>
        <translation>
            <numerusform>TRACT Console: %n unread message</numerusform>
            <numerusform>TRACT Console: %n unread messages</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Show TRACT Console</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::OwnershipBoard</name>
    <message>
        <source>59 min 59 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thread state filter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All threads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting for agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>With me</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>With others</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bot</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Complete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search threads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Filter by name, user id, owner or message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thread count</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thread ownership</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n thread(s), %1 waiting</source>
        <translation>
            <numerusform>%n thread, %1 waiting</numerusform>
            <numerusform>%n threads, %1 waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>Filter by name, user id, owner, agent or message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Assign to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 — %2, %3 / %4</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No agents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Back to the &amp;queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thread actions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Open conversation</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::RichReplyDialog</name>
    <message>
        <source>Reply with quick replies or buttons</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Text with quick replies</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Text with buttons</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reply kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Text:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Label</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message or URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Quick replies or buttons</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Add</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>As the end user sees it:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No, thanks</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open link</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>✖ %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>⚠ %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT &amp;URL:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRACT URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Client id:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Client id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Leave empty to keep the stored token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Webhook listener</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Listen &amp;address:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Listen address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Listen &amp;port:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Listen port</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>0 (any free port)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pu&amp;blic URL:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Public URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Empty: the listen address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The address TRACT posts hooks to, when it differs from the listen address (a tunnel or reverse proxy)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hook &amp;secret:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hook secret</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Leave empty to keep the stored secret</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Receiver id:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Receiver id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Empty: the client id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Display name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Agent display name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Used in canned responses as {agent}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Notifications</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Desktop notification when the bot &amp;hands a thread to agents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Notify on handoff</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Desktop notification for new &amp;messages in my threads while the window is inactive</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Notify on new message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Play a &amp;sound with notifications</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Notification sound</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 error</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stored in keychain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not set</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter a URL, such as https://tract.example.com</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This is not a valid URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The URL must start with http:// or https://</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The URL needs a host name, such as https://tract.example.com</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The port must be a number from 0 to 65535 (0 picks a free port)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter an address to listen on, such as 127.0.0.1 or 0.0.0.0</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter an IP address, such as 127.0.0.1, 0.0.0.0 or ::1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The client id is required</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete completed conversations after days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Never: keep everything</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Completed conversations last active longer ago than this are deleted in the background, with their events. Applies from the next start; --retain-days overrides it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete &amp;completed conversations after:</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::ShortcutsDialog</name>
    <message>
        <source>Composer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send the message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New line</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Canned responses</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shortcut</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Conversation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Previous / next message (read aloud by a screen reader)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Newest message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy the selected text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Next / previous control</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Close a menu, dialog or list</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::TeamBoard</name>
    <message>
        <source>Queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Drop a thread here to send it back to the queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Team summary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Agents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Online: %1 of %2 · Open threads: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>empty</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n waiting, oldest %1</source>
        <translation>
            <numerusform>%n waiting, oldest %1</numerusform>
            <numerusform>%n waiting, oldest %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n waiting</numerusform>
            <numerusform>%n waiting</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ui::ThreadControlPanel</name>
    <message>
        <source>default</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>primary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>owner</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (you)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thread control</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fetch the listeners again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refresh listeners</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Listeners</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Take control</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Take control</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Make this console the owner of the thread (Ctrl+T)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pass to listener</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Pass to…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pass to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hand the thread to another listener (Ctrl+Shift+P)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Request control</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Request control</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ask the current owner to pass the thread to you</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thread control call running</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thread control outcome</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No thread selected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No listeners known for %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n listener(s) for %1</source>
        <translation>
            <numerusform>%n listener for %1</numerusform>
            <numerusform>%n listeners for %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ui::ThreadListDelegate</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>owner: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>→ you</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>→ %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ui::UserPanel</name>
    <message>
        <source>yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fetch the user again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refresh user</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>User id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Device platform</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Third-party user id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ECT user id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>User id:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Platform:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Third-party id:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ECT user id:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Details available</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select all details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Re&amp;quest details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Request details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ask TRACT for the checked details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>User request running</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>User panel error</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Received details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No details available</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>