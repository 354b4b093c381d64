<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>LayoutBuilder</name>
    <message>
        <source>(no label)</source>
        <translation>(sin etiqueta)</translation>
    </message>
    <message>
        <source>%1 joined the chat</source>
        <translation>%1 se unió al chat</translation>
    </message>
    <message>
        <source>%1 (%2) joined the chat</source>
        <translation>%1 (%2) se unió al chat</translation>
    </message>
    <message>
        <source>Chat completed</source>
        <translation>Chat completado</translation>
    </message>
    <message>
        <source>System event: %1</source>
        <translation>Evento del sistema: %1</translation>
    </message>
    <message>
        <source>System event</source>
        <translation>Evento del sistema</translation>
    </message>
    <message>
        <source>Native app action</source>
        <translation>Acción de la app nativa</translation>
    </message>
    <message>
        <source>Native app action: %1</source>
        <translation>Acción de la app nativa: %1</translation>
    </message>
    <message>
        <source>(untyped)</source>
        <translation>(sin tipo)</translation>
    </message>
    <message>
        <source>Silent action</source>
        <translation>Acción silenciosa</translation>
    </message>
    <message>
        <source>Silent action: %1</source>
        <translation>Acción silenciosa: %1</translation>
    </message>
    <message>
        <source>invalid message</source>
        <translation>mensaje no válido</translation>
    </message>
    <message>
        <source>unsupported %1</source>
        <translation>%1 no compatible</translation>
    </message>
    <message>
        <source>Form (read-only)</source>
        <translation>Formulario (solo lectura)</translation>
    </message>
    <message>
        <source>field</source>
        <translation>campo</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Hide raw JSON</source>
        <translation>Ocultar JSON sin procesar</translation>
    </message>
    <message>
        <source>Show raw JSON</source>
        <translation>Mostrar JSON sin procesar</translation>
    </message>
</context>
<context>
    <name>MessageLayout</name>
    <message>
        <source>Quick reply “%1”: %2</source>
        <translation>Respuesta rápida “%1”: %2</translation>
    </message>
    <message>
        <source>Video: %1</source>
        <translation>Video: %1</translation>
    </message>
    <message>
        <source>Image could not be loaded: %1</source>
        <translation>No se pudo cargar la imagen: %1</translation>
    </message>
    <message>
        <source>Image: %1</source>
        <translation>Imagen: %1</translation>
    </message>
    <message>
        <source>Hide the message as received</source>
        <translation>Ocultar el mensaje tal como se recibió</translation>
    </message>
    <message>
        <source>Show the message as received (JSON)</source>
        <translation>Mostrar el mensaje tal como se recibió (JSON)</translation>
    </message>
    <message>
        <source>Opens %1 (%2)</source>
        <translation>Abre %1 (%2)</translation>
    </message>
    <message>
        <source>Quick replies: %1.</source>
        <translation>Respuestas rápidas: %1.</translation>
    </message>
    <message>
        <source>%1 (link to %2)</source>
        <translation>%1 (enlace a %2)</translation>
    </message>
    <message>
        <source>Button: %1.</source>
        <translation>Botón: %1.</translation>
    </message>
    <message>
        <source>Buttons: %1.</source>
        <translation>Botones: %1.</translation>
    </message>
    <message>
        <source>Image: %1.</source>
        <translation>Imagen: %1.</translation>
    </message>
    <message>
        <source>Image.</source>
        <translation>Imagen.</translation>
    </message>
    <message>
        <source>Carousel with 1 card: %1.</source>
        <translation>Carrusel con 1 tarjeta: %1.</translation>
    </message>
    <message>
        <source>Carousel with %1 cards: %2.</source>
        <translation>Carrusel con %1 tarjetas: %2.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Formulario</translation>
    </message>
    <message>
        <source>Fields: %1.</source>
        <translation>Campos: %1.</translation>
    </message>
    <message>
        <source>Unsupported message type %1.</source>
        <translation>Tipo de mensaje no compatible: %1.</translation>
    </message>
    <message>
        <source>Invalid message: %1.</source>
        <translation>Mensaje no válido: %1.</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Card: %1</source>
        <translation>Tarjeta: %1</translation>
    </message>
    <message>
        <source>Video %1</source>
        <translation>Video %1</translation>
    </message>
    <message>
        <source>Image %1</source>
        <translation>Imagen %1</translation>
    </message>
    <message>
        <source>Hide raw JSON</source>
        <translation>Ocultar JSON sin procesar</translation>
    </message>
    <message>
        <source>Show raw JSON</source>
        <translation>Mostrar JSON sin procesar</translation>
    </message>
    <message>
        <source>Raw JSON</source>
        <translation>JSON sin procesar</translation>
    </message>
    <message>
        <source>Field %1 (%2)</source>
        <translation>Campo %1 (%2)</translation>
    </message>
</context>
<context>
    <name>QGnomeTheme</name>
    <message>
        <source>&amp;OK</source>
        <translation>&amp;Aceptar</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancelar</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Cerrar</translation>
    </message>
    <message>
        <source>Close without Saving</source>
        <translation>Cerrar sin guardar</translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Cor&amp;tar</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copiar</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Pegar</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Seleccionar todo</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>Aceptar</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>Guardar todo</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Sí</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>Sí a &amp;todo</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;No</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>N&amp;o a todo</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Abortar</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Ignorar</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Ayuda</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Aplicar</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Restablecer</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Restaurar valores predeterminados</translation>
    </message>
</context>
<context>
    <name>QWidgetTextControl</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Cor&amp;tar</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copiar</translation>
    </message>
    <message>
        <source>Copy &amp;Link Location</source>
        <translation>Copiar la &amp;ubicación del enlace</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Pegar</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Seleccionar todo</translation>
    </message>
</context>
<context>
    <name>ThreadListModel</name>
    <message>
        <source>With the team</source>
        <translation>Con el equipo</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>En cola</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plataforma</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agente</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Propietario</translation>
    </message>
    <message>
        <source>Owner since</source>
        <translation>Propietario desde</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En espera</translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation>Última actividad</translation>
    </message>
    <message>
        <source>Last message</source>
        <translation>Último mensaje</translation>
    </message>
    <message>
        <source>Unread</source>
        <translation>No leídos</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>en cola</translation>
    </message>
    <message>
        <source>assigned to %1</source>
        <translation>asignada a %1</translation>
    </message>
    <message>
        <source>waiting %1</source>
        <translation>esperando %1</translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n sin leer</numerusform>
            <numerusform>%n sin leer</numerusform>
        </translation>
    </message>
    <message>
        <source>last message: %1</source>
        <translation>último mensaje: %1</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between the parts of a thread&apos;s summary for a screen reader</comment>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>ThreadState</name>
    <message>
        <source>Bot</source>
        <translation>Bot</translation>
    </message>
    <message>
        <source>Waiting for agent</source>
        <translation>Esperando agente</translation>
    </message>
    <message>
        <source>With me</source>
        <translation>Conmigo</translation>
    </message>
    <message>
        <source>With another receiver</source>
        <translation>Con otro receptor</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Completada</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 d</translation>
    </message>
</context>
<context>
    <name>console</name>
    <message>
        <source>cannot create the data directory %1</source>
        <translation>no se puede crear el directorio de datos %1</translation>
    </message>
    <message>
        <source>expected HOST:PORT, e.g. 127.0.0.1:8471</source>
        <translation>se esperaba HOST:PUERTO, p. ej. 127.0.0.1:8471</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an IP address</source>
        <translation>&apos;%1&apos; no es una dirección IP</translation>
    </message>
    <message>
        <source>no stored user &apos;%1&apos;</source>
        <translation>no hay ningún usuario guardado &apos;%1&apos;</translation>
    </message>
    <message>
        <source>cannot open the store %1: %2</source>
        <translation>no se puede abrir el almacén %1: %2</translation>
    </message>
    <message>
        <source>cannot listen on %1:%2: %3</source>
        <translation>no se puede escuchar en %1:%2: %3</translation>
    </message>
    <message>
        <source>TRACT Console cannot start</source>
        <translation>TRACT Console no puede iniciarse</translation>
    </message>
    <message>
        <source>could not restart</source>
        <translation>no se pudo reiniciar</translation>
    </message>
    <message>
        <source>no stored conversations in %1</source>
        <translation>no hay conversaciones guardadas en %1</translation>
    </message>
    <message>
        <source>Token not saved</source>
        <translation>Token no guardado</translation>
    </message>
    <message>
        <source>The token could not be stored in the keychain: %1
Set TRACT_TOKEN instead.</source>
        <translation>No se pudo guardar el token en el llavero: %1
Usa TRACT_TOKEN en su lugar.</translation>
    </message>
    <message>
        <source>Connecting to the hub at %1…</source>
        <translation>Conectando con el hub en %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>TRACT Console</source>
        <translation>TRACT Console</translation>
    </message>
    <message>
        <source>Desktop agent console for Haptik&apos;s TRACT API</source>
        <translation>Consola de escritorio para agentes, para la API TRACT de Haptik</translation>
    </message>
    <message>
        <source>Render one HSL message to a PNG and exit.</source>
        <translation>Dibuja un mensaje HSL en un PNG y sale.</translation>
    </message>
    <message>
        <source>The PNG written by --render-hsl.</source>
        <translation>El PNG que escribe --render-hsl.</translation>
    </message>
    <message>
        <source>Image width for --render-hsl.</source>
        <translation>Ancho de la imagen para --render-hsl.</translation>
    </message>
    <message>
        <source>The language of the window and messages, e.g. es or hi (default: View → Language, else the system&apos;s).</source>
        <translation>El idioma de la ventana y los mensajes, p. ej. es o hi (predeterminado: Ver → Idioma; si no, el del sistema).</translation>
    </message>
    <message>
        <source>light or dark, for --render-hsl.</source>
        <translation>light o dark, para --render-hsl.</translation>
    </message>
    <message>
        <source>--width: expected a number of pixels, got &quot;%1&quot;</source>
        <translation>--width: se esperaba un número de píxeles, se recibió &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the signing key was not stored in the keychain (%1); name the 0600 file with --signing-key instead</source>
        <translation>la clave de firma no se guardó en el llavero (%1); indique el archivo 0600 con --signing-key</translation>
    </message>
    <message>
        <source>signing key (%1) stored in the keychain for client id &apos;%2&apos;</source>
        <translation>clave de firma (%1) guardada en el llavero para el id de cliente &apos;%2&apos;</translation>
    </message>
</context>
<context>
    <name>console::ConsoleLauncher</name>
    <message>
        <source>no TRACT token: set TRACT_TOKEN or store one in the keychain (%1)</source>
        <translation>no hay token de TRACT: define TRACT_TOKEN o guarda uno en el llavero (%1)</translation>
    </message>
    <message>
        <source>cannot keep the hook path secret: %1</source>
        <translation>no se puede mantener secreta la ruta del hook: %1</translation>
    </message>
    <message>
        <source>no keychain reachable: the token comes from TRACT_TOKEN and the hook path secret is kept in a file only you can read in %1</source>
        <translation>no hay ningún llavero accesible: el token se obtiene de TRACT_TOKEN y el secreto de la ruta del hook se guarda en un archivo que solo tú puedes leer en %1</translation>
    </message>
    <message>
        <source>--hook-secret-from-env: TRACT_HOOK_SECRET is empty or not set</source>
        <translation>--hook-secret-from-env: TRACT_HOOK_SECRET está vacía o no está definida</translation>
    </message>
    <message>
        <source>no signing key for client id &apos;%1&apos; in the keychain: store one with --import-signing-key FILE, or name a 0600 file with --signing-key</source>
        <translation>no hay clave de firma para el id de cliente &apos;%1&apos; en el llavero: guarde una con --import-signing-key ARCHIVO o indique un archivo 0600 con --signing-key</translation>
    </message>
    <message>
        <source>cannot read the signing key from the keychain (%1); name a 0600 file with --signing-key instead</source>
        <translation>no se puede leer la clave de firma del llavero (%1); indique un archivo 0600 con --signing-key</translation>
    </message>
    <message>
        <source>the signing key in the keychain cannot be used: %1</source>
        <translation>la clave de firma del llavero no se puede usar: %1</translation>
    </message>
    <message>
        <source>TRACT did not issue an access token: %1</source>
        <translation>TRACT no emitió un token de acceso: %1</translation>
    </message>
    <message>
        <source>TRACT did not issue an access token yet (%1); trying again in %2 s and after that</source>
        <extracomment>%2: seconds until the next try</extracomment>
        <translation>TRACT aún no emitió un token de acceso (%1); se reintenta en %2 s y después</translation>
    </message>
    <message>
        <source>no keychain reachable: the hook path secret is kept in a file only you can read in %1</source>
        <translation>no hay llavero accesible: el secreto de la ruta de los hooks se guarda en un archivo que solo usted puede leer en %1</translation>
    </message>
</context>
<context>
    <name>console::ConsoleOptions</name>
    <message>
        <source>Base URL of the TRACT API.</source>
        <translation>URL base de la API de TRACT.</translation>
    </message>
    <message>
        <source>Your ECT client id at Haptik.</source>
        <translation>Tu id de cliente ECT en Haptik.</translation>
    </message>
    <message>
        <source>Address and port of the webhook listener; port 0 picks a free one.</source>
        <translation>Dirección y puerto del receptor de webhooks; el puerto 0 elige uno libre.</translation>
    </message>
    <message>
        <source>Base URL TRACT reaches the listener at (reverse proxy, tunnel).</source>
        <translation>URL base en la que TRACT accede al receptor de webhooks (proxy inverso, túnel).</translation>
    </message>
    <message>
        <source>Where conversations are stored.</source>
        <translation>Dónde se guardan las conversaciones.</translation>
    </message>
    <message>
        <source>This console&apos;s id among thread-control listeners.</source>
        <translation>El id de esta consola entre los receptores del control de conversaciones.</translation>
    </message>
    <message>
        <source>Require hook signatures; the secret is read from TRACT_HOOK_SECRET.</source>
        <translation>Exigir firmas en los hooks; el secreto se lee de TRACT_HOOK_SECRET.</translation>
    </message>
    <message>
        <source>Run listener, client and store without a window.</source>
        <translation>Ejecutar el receptor de webhooks, el cliente y el almacén sin ventana.</translation>
    </message>
    <message>
        <source>Start a built-in sandbox and connect to it.</source>
        <translation>Iniciar un sandbox integrado y conectarse a él.</translation>
    </message>
    <message>
        <source>Print stored conversations of a user (or all) and exit.</source>
        <translation>Imprimir las conversaciones guardadas de un usuario (o de todos) y salir.</translation>
    </message>
    <message>
        <source>Export format.</source>
        <translation>Formato de exportación.</translation>
    </message>
    <message>
        <source>Run as the team hub: headless, owning the TRACT registration, serving consoles.</source>
        <translation>Ejecutar como hub del equipo: sin interfaz, con el registro en TRACT y sirviendo a las consolas.</translation>
    </message>
    <message>
        <source>Address and port of the hub&apos;s WebSocket server; port 0 picks a free one.</source>
        <translation>Dirección y puerto del servidor WebSocket del hub; el puerto 0 elige uno libre.</translation>
    </message>
    <message>
        <source>PEM certificate: the hub serves wss://.</source>
        <translation>Certificado PEM: el hub sirve wss://.</translation>
    </message>
    <message>
        <source>PEM private key for --hub-tls-cert.</source>
        <translation>Clave privada PEM para --hub-tls-cert.</translation>
    </message>
    <message>
        <source>An Origin allowed to connect to the hub (repeatable); others are refused.</source>
        <translation>Un Origin autorizado a conectarse al hub (se puede repetir); los demás se rechazan.</translation>
    </message>
    <message>
        <source>Seconds an agent may be disconnected before its threads return to the queue.</source>
        <translation>Segundos que un agente puede estar desconectado antes de que sus conversaciones vuelvan a la cola.</translation>
    </message>
    <message>
        <source>Events the hub keeps for consoles to resume from.</source>
        <translation>Eventos que el hub conserva para que las consolas se reanuden desde ellos.</translation>
    </message>
    <message>
        <source>Add an agent to the hub in --data-dir and print its token.</source>
        <translation>Agregar un agente al hub en --data-dir e imprimir su token.</translation>
    </message>
    <message>
        <source>Revoke an agent of the hub in --data-dir.</source>
        <translation>Revocar un agente del hub en --data-dir.</translation>
    </message>
    <message>
        <source>List the agents of the hub in --data-dir.</source>
        <translation>Listar los agentes del hub en --data-dir.</translation>
    </message>
    <message>
        <source>Role of --hub-add-agent.</source>
        <translation>Rol de --hub-add-agent.</translation>
    </message>
    <message>
        <source>Open threads --hub-add-agent is routed at once.</source>
        <translation>Conversaciones abiertas que se asignan a la vez a --hub-add-agent.</translation>
    </message>
    <message>
        <source>Open the window as a member of a team, fed by the hub at this URL.</source>
        <translation>Abrir la ventana como miembro de un equipo, alimentada por el hub en esta URL.</translation>
    </message>
    <message>
        <source>Read the agent token from TRACT_AGENT_TOKEN (then kept in the keychain).</source>
        <translation>Leer el token de agente de TRACT_AGENT_TOKEN (después se guarda en el llavero).</translation>
    </message>
    <message>
        <source>expected an http or https URL</source>
        <translation>se esperaba una URL http o https</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>no debe estar vacío</translation>
    </message>
    <message>
        <source>expected json or text</source>
        <translation>se esperaba json o text</translation>
    </message>
    <message>
        <source>expected a user id or &apos;all&apos;</source>
        <translation>se esperaba un id de usuario o &apos;all&apos;</translation>
    </message>
    <message>
        <source>--hub-tls-cert and --hub-tls-key go together</source>
        <translation>--hub-tls-cert y --hub-tls-key deben usarse juntas</translation>
    </message>
    <message>
        <source>expected 0 to 86400 seconds</source>
        <translation>se esperaban de 0 a 86400 segundos</translation>
    </message>
    <message>
        <source>expected a number of events, at least 100</source>
        <translation>se esperaba un número de eventos, al menos 100</translation>
    </message>
    <message>
        <source>one of --hub-add-agent, --hub-remove-agent and --hub-list-agents at a time</source>
        <translation>solo una de --hub-add-agent, --hub-remove-agent y --hub-list-agents a la vez</translation>
    </message>
    <message>
        <source>expected an agent name</source>
        <translation>se esperaba un nombre de agente</translation>
    </message>
    <message>
        <source>expected agent or supervisor</source>
        <translation>se esperaba agent o supervisor</translation>
    </message>
    <message>
        <source>expected 1 to 1000 open threads</source>
        <translation>se esperaban de 1 a 1000 conversaciones abiertas</translation>
    </message>
    <message>
        <source>expected a ws:// or wss:// URL, e.g. ws://127.0.0.1:8472</source>
        <translation>se esperaba una URL ws:// o wss://, p. ej. ws://127.0.0.1:8472</translation>
    </message>
    <message>
        <source>a team console talks to its hub only: drop --hub, --headless, --demo and --tract-url</source>
        <translation>una consola de equipo solo se comunica con su hub: quita --hub, --headless, --demo y --tract-url</translation>
    </message>
    <message>
        <source>goes with --hub-url</source>
        <translation>va con --hub-url</translation>
    </message>
    <message>
        <source>agent administration needs the hub&apos;s --data-dir</source>
        <translation>la administración de agentes necesita el --data-dir del hub</translation>
    </message>
    <message>
        <source>--hub needs --tract-url</source>
        <translation>--hub necesita --tract-url</translation>
    </message>
    <message>
        <source>--headless needs --tract-url</source>
        <translation>--headless necesita --tract-url</translation>
    </message>
    <message>
        <source>Private key (PEM, mode 0600) that signs the access-token request; default: the keychain.</source>
        <translation>Clave privada (PEM, modo 0600) que firma la solicitud del token de acceso; por defecto: el llavero.</translation>
    </message>
    <message>
        <source>SignatureCertUUID of the certificate shared with Haptik: get the access token by a signed request.</source>
        <translation>SignatureCertUUID del certificado compartido con Haptik: obtener el token de acceso con una solicitud firmada.</translation>
    </message>
    <message>
        <source>This ECT&apos;s FQDN, as in the shared certificate.</source>
        <translation>El FQDN de este ECT, como en el certificado compartido.</translation>
    </message>
    <message>
        <source>Store this private key (PEM, mode 0600) in the keychain for --client-id and exit.</source>
        <translation>Guardar esta clave privada (PEM, modo 0600) en el llavero para --client-id y salir.</translation>
    </message>
    <message>
        <source>expected a PEM private key file</source>
        <translation>se esperaba un archivo de clave privada PEM</translation>
    </message>
    <message>
        <source>expected up to 128 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;</source>
        <translation>se esperaban hasta 128 letras, dígitos, &apos;.&apos;, &apos;_&apos; o &apos;-&apos;</translation>
    </message>
    <message>
        <source>expected a host name like ect.example.com</source>
        <translation>se esperaba un nombre de host como ect.example.com</translation>
    </message>
    <message>
        <source>--cert-uuid needs --fqdn</source>
        <translation>--cert-uuid necesita --fqdn</translation>
    </message>
    <message>
        <source>goes with --cert-uuid</source>
        <translation>va con --cert-uuid</translation>
    </message>
    <message>
        <source>the demo and a team console get no token from TRACT</source>
        <translation>la demo y una consola de equipo no obtienen token de TRACT</translation>
    </message>
    <message>
        <source>Delete completed conversations last active more than N days ago, in the background; 0 keeps everything. Default: the setting, else 0.</source>
        <translation>Elimina en segundo plano las conversaciones completadas sin actividad desde hace más de N días; 0 lo conserva todo. Predeterminado: la configuración, si no 0.</translation>
    </message>
    <message>
        <source>expected 0 (keep everything) to %1 days, got &quot;%2&quot;</source>
        <translation>se esperaban de 0 (conservar todo) a %1 días, se recibió "%2"</translation>
    </message>
</context>
<context>
    <name>console::HubBackend</name>
    <message>
        <source>The hub answered: %1</source>
        <translation>El hub respondió: %1</translation>
    </message>
    <message>
        <source>The hub at %1 refused this agent&apos;s token (revoked or wrong).</source>
        <translation>El hub en %1 rechazó el token de este agente (revocado o incorrecto).</translation>
    </message>
    <message>
        <source>The hub at %1 refused this agent&apos;s token: %2</source>
        <translation>El hub en %1 rechazó el token de este agente: %2</translation>
    </message>
    <message>
        <source>cannot create a private directory for the hub&apos;s threads: %1</source>
        <translation>no se puede crear un directorio privado para las conversaciones del hub: %1</translation>
    </message>
    <message>
        <source>Hub: %1 (supervisor)</source>
        <translation>Hub: %1 (supervisor)</translation>
    </message>
    <message>
        <source>Hub: %1 (agent)</source>
        <translation>Hub: %1 (agente)</translation>
    </message>
    <message>
        <source>Connecting to the hub…</source>
        <translation>Conectando con el hub…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Reconectando…</translation>
    </message>
    <message>
        <source>The hub refused the token</source>
        <translation>El hub rechazó el token</translation>
    </message>
    <message>
        <source>Not connected to the hub</source>
        <translation>Sin conexión con el hub</translation>
    </message>
    <message>
        <source>The hub may already have this reply: it can be cancelled once the hub has answered.</source>
        <translation>Es posible que el hub ya tenga esta respuesta: se podrá cancelar cuando el hub haya respondido.</translation>
    </message>
</context>
<context>
    <name>console::LocalBackend</name>
    <message>
        <source>A hook was refused with %1: %2</source>
        <translation>Se rechazó un hook con %1: %2</translation>
    </message>
    <message>
        <source>Hook %1/%2 not registered: %3</source>
        <translation>Hook %1/%2 no registrado: %3</translation>
    </message>
    <message>
        <source>TRACT unreachable, retrying in %1 s</source>
        <translation>TRACT no accesible; se reintentará en %1 s</translation>
    </message>
    <message>
        <source>TRACT reachable</source>
        <translation>TRACT accesible</translation>
    </message>
    <message>
        <source>TRACT refuses the token</source>
        <translation>TRACT rechaza el token</translation>
    </message>
    <message>
        <source>TRACT unreachable</source>
        <translation>TRACT no accesible</translation>
    </message>
    <message>
        <source>Checking TRACT…</source>
        <translation>Comprobando TRACT…</translation>
    </message>
</context>
<context>
    <name>console::TranslationLoader</name>
    <message>
        <source>no %1 translation in %2: using English</source>
        <translation>no hay traducción al %1 en %2: se usa inglés</translation>
    </message>
    <message>
        <source>cannot read the %1 translation %2 (damaged?): using English</source>
        <translation>no se puede leer la traducción al %1 %2 (¿dañada?): se usa inglés</translation>
    </message>
    <message>
        <source>unknown language &quot;%1&quot;: using English</source>
        <translation>idioma desconocido &quot;%1&quot;: se usa inglés</translation>
    </message>
</context>
<context>
    <name>console::WindowController</name>
    <message>
        <source>Reply not saved</source>
        <translation>Respuesta no guardada</translation>
    </message>
    <message>
        <source>The reply could not be saved: %1</source>
        <translation>No se pudo guardar la respuesta: %1</translation>
    </message>
    <message>
        <source>You took control.</source>
        <translation>Tomaste el control.</translation>
    </message>
    <message>
        <source>Control passed.</source>
        <translation>Control cedido.</translation>
    </message>
    <message>
        <source>Control requested; the owner will answer.</source>
        <translation>Control solicitado; el propietario responderá.</translation>
    </message>
    <message>
        <source>wants to talk to an agent</source>
        <translation>quiere hablar con un agente</translation>
    </message>
    <message>
        <source>Not saved in the keychain</source>
        <translation>No se guardó en el llavero</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>Configuración guardada</translation>
    </message>
    <message>
        <source>Connection settings take effect when TRACT Console starts next time.</source>
        <translation>La configuración de conexión se aplicará la próxima vez que se inicie TRACT Console.</translation>
    </message>
    <message>
        <source>Replies not sent yet</source>
        <translation>Respuestas aún no enviadas</translation>
    </message>
    <message numerus="yes">
        <source>%n reply(s) have not reached the hub yet and will be lost if you quit now.</source>
        <translation>
            <numerusform>%n respuesta aún no llegó al hub y se perderá si sales ahora.</numerusform>
            <numerusform>%n respuestas aún no llegaron al hub y se perderán si sales ahora.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hsl</name>
    <message>
        <source>empty label</source>
        <translation>etiqueta vacía</translation>
    </message>
    <message>
        <source>label longer than 256 characters</source>
        <translation>etiqueta de más de 256 caracteres</translation>
    </message>
    <message>
        <source>label longer than %1 characters; some channels cut it</source>
        <translation>etiqueta de más de %1 caracteres; algunos canales la recortan</translation>
    </message>
    <message>
        <source>more than 100 items</source>
        <translation>más de 100 elementos</translation>
    </message>
    <message>
        <source>only TEXT and BUTTON messages can be sent</source>
        <translation>solo se pueden enviar mensajes TEXT y BUTTON</translation>
    </message>
    <message>
        <source>longer than 65536 characters</source>
        <translation>más de 65536 caracteres</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>vacío</translation>
    </message>
    <message>
        <source>quick replies must be TEXT_ONLY</source>
        <translation>las respuestas rápidas deben ser TEXT_ONLY</translation>
    </message>
    <message>
        <source>at least one button</source>
        <translation>al menos un botón</translation>
    </message>
    <message>
        <source>more than %1 buttons; quick replies suit more options</source>
        <translation>más de %1 botones; las respuestas rápidas son mejores para más opciones</translation>
    </message>
    <message>
        <source>expected an http or https URL</source>
        <translation>se esperaba una URL http o https</translation>
    </message>
    <message>
        <source>only LINK and TEXT_ONLY buttons can be sent</source>
        <translation>solo se pueden enviar botones LINK y TEXT_ONLY</translation>
    </message>
    <message>
        <source>Unreadable message</source>
        <translation>Mensaje ilegible</translation>
    </message>
    <message>
        <source>Quick replies: %1</source>
        <translation>Respuestas rápidas: %1</translation>
    </message>
    <message>
        <source>🔗 %1</source>
        <translation>🔗 %1</translation>
    </message>
    <message>
        <source>🖼 Image</source>
        <translation>🖼 Imagen</translation>
    </message>
    <message>
        <source>🖼 %1</source>
        <translation>🖼 %1</translation>
    </message>
    <message>
        <source>▶ Video</source>
        <translation>▶ Video</translation>
    </message>
    <message>
        <source>▶ %1</source>
        <translation>▶ %1</translation>
    </message>
    <message>
        <source>Carousel: %1</source>
        <translation>Carrusel: %1</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Formulario</translation>
    </message>
    <message>
        <source>Form: %1</source>
        <translation>Formulario: %1</translation>
    </message>
    <message>
        <source>Silent action</source>
        <translation>Acción silenciosa</translation>
    </message>
    <message>
        <source>App action</source>
        <translation>Acción de la app</translation>
    </message>
    <message>
        <source>App action: %1</source>
        <translation>Acción de la app: %1</translation>
    </message>
    <message>
        <source>[unsupported %1]</source>
        <translation>[%1 no compatible]</translation>
    </message>
    <message>
        <source>expected string</source>
        <translation>se esperaba una cadena</translation>
    </message>
    <message>
        <source>expected object</source>
        <translation>se esperaba un objeto</translation>
    </message>
    <message>
        <source>expected array</source>
        <translation>se esperaba un arreglo</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>falta</translation>
    </message>
    <message>
        <source>expected at least one card</source>
        <translation>se esperaba al menos una tarjeta</translation>
    </message>
    <message>
        <source>larger than 1048576 bytes</source>
        <translation>más de 1048576 bytes</translation>
    </message>
    <message>
        <source>nested deeper than 32 levels</source>
        <translation>anidado a más de 32 niveles</translation>
    </message>
    <message>
        <source>not JSON</source>
        <translation>no es JSON</translation>
    </message>
    <message>
        <source>expected HSL object, got a string</source>
        <translation>se esperaba un objeto HSL, se recibió una cadena</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>memoria insuficiente</translation>
    </message>
    <message>
        <source>internal error</source>
        <translation>error interno</translation>
    </message>
    <message>
        <source>expected object or string</source>
        <translation>se esperaba un objeto o una cadena</translation>
    </message>
</context>
<context>
    <name>hslui</name>
    <message>
        <source>--render-hsl needs a GUI application instance</source>
        <translation>--render-hsl necesita una instancia de aplicación gráfica</translation>
    </message>
    <message>
        <source>--render-hsl: no input file given</source>
        <translation>--render-hsl: no se indicó ningún archivo de entrada</translation>
    </message>
    <message>
        <source>--render-hsl: --output OUT.png is required</source>
        <translation>--render-hsl: se requiere --output OUT.png</translation>
    </message>
    <message>
        <source>--width: expected %1 to %2 pixels, got %3</source>
        <translation>--width: se esperaban de %1 a %2 píxeles, se recibió %3</translation>
    </message>
    <message>
        <source>--theme: expected light or dark, got &quot;%1&quot;</source>
        <translation>--theme: se esperaba light o dark, se recibió &quot;%1&quot;</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>no se puede leer %1: %2</translation>
    </message>
    <message>
        <source>%1: invalid HSL: %2</source>
        <translation>%1: HSL no válido: %2</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>no se puede escribir %1</translation>
    </message>
</context>
<context>
    <name>http</name>
    <message>
        <source>store unavailable; retry later</source>
        <translation>almacén no disponible; vuelve a intentarlo más tarde</translation>
    </message>
</context>
<context>
    <name>listener</name>
    <message>
        <source>missing X-Hub-Signature or X-Hub-Signature-256 header</source>
        <translation>falta el encabezado X-Hub-Signature o X-Hub-Signature-256</translation>
    </message>
    <message>
        <source>X-Hub-Signature-256 does not match the body</source>
        <translation>X-Hub-Signature-256 no coincide con el cuerpo</translation>
    </message>
    <message>
        <source>X-Hub-Signature does not match the body</source>
        <translation>X-Hub-Signature no coincide con el cuerpo</translation>
    </message>
</context>
<context>
    <name>registration</name>
    <message>
        <source>pending</source>
        <translation>pendiente</translation>
    </message>
    <message>
        <source>registered</source>
        <translation>registrado</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fallido</translation>
    </message>
</context>
<context>
    <name>sandbox</name>
    <message>
        <source>expected milliseconds between 0 and 3600000</source>
        <translation>se esperaban milisegundos entre 0 y 3600000</translation>
    </message>
    <message>
        <source>required field missing</source>
        <translation>falta un campo obligatorio</translation>
    </message>
    <message>
        <source>expected string</source>
        <translation>se esperaba una cadena</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>no debe estar vacío</translation>
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation>más de %1 caracteres</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a listener on this thread</source>
        <translation>&apos;%1&apos; no es un receptor de esta conversación</translation>
    </message>
    <message>
        <source>only primary receivers (iva, sac) may take control</source>
        <translation>solo los receptores principales (iva, sac) pueden tomar el control</translation>
    </message>
    <message>
        <source>only the owner (%1) may pass control</source>
        <translation>solo el propietario (%1) puede ceder el control</translation>
    </message>
    <message>
        <source>&apos;%1&apos; already owns this thread</source>
        <translation>&apos;%1&apos; ya es propietario de esta conversación</translation>
    </message>
    <message>
        <source>control may only be passed to a primary or the default receiver</source>
        <translation>el control solo se puede ceder a un receptor principal o al receptor predeterminado</translation>
    </message>
    <message>
        <source>request is not supported</source>
        <translation>la solicitud no es compatible</translation>
    </message>
    <message>
        <source>the owner (%1) does not answer control requests</source>
        <translation>el propietario (%1) no responde a las solicitudes de control</translation>
    </message>
    <message>
        <source>unknown thread-control type</source>
        <translation>tipo de control de conversación desconocido</translation>
    </message>
    <message>
        <source>A local TRACT server with a simulated bot and end users, for development, tests and demos.</source>
        <translation>Un servidor TRACT local con un bot y usuarios finales simulados, para desarrollo, pruebas y demostraciones.</translation>
    </message>
    <message>
        <source>signed token issue: SignatureCertUUID %1, certificate valid %2 to %3</source>
        <translation>emisión de tokens firmada: SignatureCertUUID %1, certificado válido de %2 a %3</translation>
    </message>
</context>
<context>
    <name>sandbox::LoadSpec</name>
    <message>
        <source>&apos;%1&apos; is not key=positive number</source>
        <translation>&apos;%1&apos; no tiene la forma clave=número positivo</translation>
    </message>
    <message>
        <source>users must be a whole number up to 1000000</source>
        <translation>users debe ser un número entero de hasta 1000000</translation>
    </message>
    <message>
        <source>unknown key &apos;%1&apos; (use users, rate, duration)</source>
        <translation>clave desconocida &apos;%1&apos; (usa users, rate, duration)</translation>
    </message>
    <message>
        <source>expected users=N,rate=R,duration=S</source>
        <translation>se esperaba users=N,rate=R,duration=S</translation>
    </message>
</context>
<context>
    <name>sandbox::Reader</name>
    <message>
        <source>required field missing</source>
        <translation>falta un campo obligatorio</translation>
    </message>
    <message>
        <source>expected string</source>
        <translation>se esperaba una cadena</translation>
    </message>
    <message>
        <source>expected a number from 0 to 86400000</source>
        <translation>se esperaba un número de 0 a 86400000</translation>
    </message>
</context>
<context>
    <name>sandbox::SandboxConfig</name>
    <message>
        <source>&apos;%1&apos; is not a number of seconds between 0 and 86400</source>
        <translation>&apos;%1&apos; no es un número de segundos entre 0 y 86400</translation>
    </message>
    <message>
        <source>at most 100 retries</source>
        <translation>como máximo 100 reintentos</translation>
    </message>
    <message>
        <source>Address and port to listen on; port 0 picks a free one.</source>
        <translation>Dirección y puerto en los que escuchar; el puerto 0 elige uno libre.</translation>
    </message>
    <message>
        <source>The ECT client id TRACT expects.</source>
        <translation>El id de cliente ECT que espera TRACT.</translation>
    </message>
    <message>
        <source>The bearer token TRACT expects.</source>
        <translation>El token bearer que espera TRACT.</translation>
    </message>
    <message>
        <source>Sign every hook with HMAC-SHA1/SHA256 of this secret.</source>
        <translation>Firmar cada hook con HMAC-SHA1/SHA256 de este secreto.</translation>
    </message>
    <message>
        <source>Scenario to play: a name under resources/scenarios or a JSON file.</source>
        <translation>Escenario que reproducir: un nombre en resources/scenarios o un archivo JSON.</translation>
    </message>
    <message>
        <source>Seconds between hook delivery retries.</source>
        <translation>Segundos entre reintentos de entrega de hooks.</translation>
    </message>
    <message>
        <source>Apply Haptik&apos;s documented thread-control rules.</source>
        <translation>Aplicar las reglas de control de conversaciones documentadas por Haptik.</translation>
    </message>
    <message>
        <source>Generate load and report delivery figures, then exit.</source>
        <translation>Generar carga e informar cifras de entrega, luego salir.</translation>
    </message>
    <message>
        <source>Seed for the simulated participants&apos; choices.</source>
        <translation>Semilla para las elecciones de los participantes simulados.</translation>
    </message>
    <message>
        <source>Milliseconds the bot takes to answer.</source>
        <translation>Milisegundos que tarda el bot en responder.</translation>
    </message>
    <message>
        <source>Milliseconds before a simulated user answers an agent; 0 never.</source>
        <translation>Milisegundos antes de que un usuario simulado responda a un agente; 0: nunca.</translation>
    </message>
    <message>
        <source>Milliseconds before the bot or SAC grants a control request.</source>
        <translation>Milisegundos antes de que el bot o SAC conceda una solicitud de control.</translation>
    </message>
    <message>
        <source>Milliseconds to wait for a hook acknowledgement.</source>
        <translation>Milisegundos de espera de la confirmación de un hook.</translation>
    </message>
    <message>
        <source>expected HOST:PORT, e.g. 127.0.0.1:8470</source>
        <translation>se esperaba HOST:PUERTO, p. ej. 127.0.0.1:8470</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an IP address</source>
        <translation>&apos;%1&apos; no es una dirección IP</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>no debe estar vacío</translation>
    </message>
    <message>
        <source>&apos;iva&apos; and &apos;sac&apos; are Haptik&apos;s own receivers</source>
        <translation>&apos;iva&apos; y &apos;sac&apos; son receptores propios de Haptik</translation>
    </message>
    <message>
        <source>expected a non-negative whole number</source>
        <translation>se esperaba un número entero no negativo</translation>
    </message>
    <message>
        <source>must be positive</source>
        <translation>debe ser positivo</translation>
    </message>
    <message>
        <source>Issue access tokens to requests signed with this certificate&apos;s key and accept only those tokens.</source>
        <translation>Emitir tokens de acceso a las solicitudes firmadas con la clave de este certificado y aceptar solo esos tokens.</translation>
    </message>
    <message>
        <source>The SignatureCertUUID of --require-signed-token (default: derived from the certificate, printed at start).</source>
        <translation>El SignatureCertUUID de --require-signed-token (por defecto: derivado del certificado, se muestra al iniciar).</translation>
    </message>
    <message>
        <source>Seconds an issued access token is valid.</source>
        <translation>Segundos que es válido un token de acceso emitido.</translation>
    </message>
    <message>
        <source>expected a PEM certificate file</source>
        <translation>se esperaba un archivo de certificado PEM</translation>
    </message>
    <message>
        <source>expected up to 128 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;</source>
        <translation>se esperaban hasta 128 letras, dígitos, &apos;.&apos;, &apos;_&apos; o &apos;-&apos;</translation>
    </message>
    <message>
        <source>goes with --require-signed-token</source>
        <translation>va con --require-signed-token</translation>
    </message>
    <message>
        <source>expected 1 to 86400 seconds</source>
        <translation>se esperaban de 1 a 86400 segundos</translation>
    </message>
</context>
<context>
    <name>sandbox::SandboxServer</name>
    <message>
        <source>cannot listen on %1:%2: %3</source>
        <translation>no se puede escuchar en %1:%2: %3</translation>
    </message>
    <message>
        <source>method %1 not allowed; use GET</source>
        <translation>método %1 no permitido; usa GET</translation>
    </message>
    <message>
        <source>no such endpoint: %1</source>
        <translation>no existe el endpoint: %1</translation>
    </message>
    <message>
        <source>method %1 not allowed; use %2</source>
        <translation>método %1 no permitido; usa %2</translation>
    </message>
    <message>
        <source>missing or unknown client-id header</source>
        <translation>falta el encabezado client-id o es desconocido</translation>
    </message>
    <message>
        <source>missing or wrong Authorization: Bearer token</source>
        <translation>falta Authorization: Bearer token o es incorrecto</translation>
    </message>
    <message>
        <source>the control API answers loopback clients only</source>
        <translation>la API de control solo responde a clientes de loopback</translation>
    </message>
    <message>
        <source>unknown hook %1/%2</source>
        <translation>hook desconocido %1/%2</translation>
    </message>
    <message>
        <source>expected an absolute http or https URL</source>
        <translation>se esperaba una URL http o https absoluta</translation>
    </message>
    <message>
        <source>unknown user_id &apos;%1&apos;</source>
        <translation>user_id desconocido &apos;%1&apos;</translation>
    </message>
    <message>
        <source>expected a string holding serialized HSL JSON</source>
        <translation>se esperaba una cadena con JSON de HSL serializado</translation>
    </message>
    <message>
        <source>expected object</source>
        <translation>se esperaba un objeto</translation>
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation>más de %1 caracteres</translation>
    </message>
    <message>
        <source>expected an HSL object with a string &quot;type&quot;</source>
        <translation>se esperaba un objeto HSL con una cadena &quot;type&quot;</translation>
    </message>
    <message>
        <source>expected a non-empty string, or message_body</source>
        <translation>se esperaba una cadena no vacía, o message_body</translation>
    </message>
    <message>
        <source>expected string or object</source>
        <translation>se esperaba una cadena o un objeto</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a listener (iva, sac or %2)</source>
        <translation>&apos;%1&apos; no es un receptor (iva, sac o %2)</translation>
    </message>
    <message>
        <source>no such media</source>
        <translation>no existe el medio</translation>
    </message>
    <message>
        <source>no such media: %1</source>
        <translation>no existe el medio: %1</translation>
    </message>
    <message>
        <source>missing Authorization: Bearer token</source>
        <translation>falta el token Authorization: Bearer</translation>
    </message>
    <message>
        <source>SignatureCertChainUrl is not supported here; pre-share the certificate and send SignatureCertUUID</source>
        <translation>SignatureCertChainUrl no se admite aquí; comparta el certificado de antemano y envíe SignatureCertUUID</translation>
    </message>
    <message>
        <source>missing SignatureCertUUID header</source>
        <translation>falta la cabecera SignatureCertUUID</translation>
    </message>
    <message>
        <source>SignatureCertUUID names no certificate known here</source>
        <translation>SignatureCertUUID no corresponde a ningún certificado conocido aquí</translation>
    </message>
    <message>
        <source>missing Signature header</source>
        <translation>falta la cabecera Signature</translation>
    </message>
    <message>
        <source>the body is larger than %1 bytes</source>
        <translation>el cuerpo ocupa más de %1 bytes</translation>
    </message>
    <message>
        <source>unknown client id &apos;%1&apos;</source>
        <translation>id de cliente desconocido &apos;%1&apos;</translation>
    </message>
    <message>
        <source>%1 is %2 s from TRACT&apos;s clock (%3); at most %4 s are allowed</source>
        <translation>%1 está a %2 s del reloj de TRACT (%3); se permiten como máximo %4 s</translation>
    </message>
</context>
<context>
    <name>sandbox::SandboxWorld</name>
    <message>
        <source>unknown user_id &apos;%1&apos;</source>
        <translation>user_id desconocido &apos;%1&apos;</translation>
    </message>
    <message>
        <source>user &apos;%1&apos; is owned by &apos;%2&apos;; only the owner may message the user (take or request control first)</source>
        <translation>el usuario &apos;%1&apos; pertenece a &apos;%2&apos;; solo el propietario puede enviarle mensajes (primero toma o solicita el control)</translation>
    </message>
    <message>
        <source>message_body.type: unknown HSL type &apos;%1&apos;</source>
        <translation>message_body.type: tipo HSL desconocido &apos;%1&apos;</translation>
    </message>
    <message>
        <source>IVA (bot)</source>
        <translation>IVA (bot)</translation>
    </message>
    <message>
        <source>Smart Agent Chat</source>
        <translation>Smart Agent Chat</translation>
    </message>
    <message>
        <source>External chat tool (%1)</source>
        <translation>Herramienta de chat externa (%1)</translation>
    </message>
</context>
<context>
    <name>sandbox::Scenario</name>
    <message>
        <source>no file &apos;%1&apos; and no built-in scenario of that name (built in: %2)</source>
        <translation>no hay ningún archivo &apos;%1&apos; ni escenario integrado con ese nombre (integrados: %2)</translation>
    </message>
    <message>
        <source>larger than 16 MiB</source>
        <translation>más de 16 MiB</translation>
    </message>
    <message>
        <source>invalid JSON at offset %1: %2</source>
        <translation>JSON no válido en la posición %1: %2</translation>
    </message>
    <message>
        <source>expected a JSON object</source>
        <translation>se esperaba un objeto JSON</translation>
    </message>
    <message>
        <source>expected an HSL object with a string &quot;type&quot;</source>
        <translation>se esperaba un objeto HSL con una cadena &quot;type&quot;</translation>
    </message>
    <message>
        <source>a step needs one of say, message_body, event, owner or complete</source>
        <translation>un paso necesita say, message_body, event, owner o complete</translation>
    </message>
    <message>
        <source>at least 100</source>
        <translation>al menos 100</translation>
    </message>
</context>
<context>
    <name>sandbox::SimulatedBot</name>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Choose</source>
        <translation>Elegir</translation>
    </message>
    <message>
        <source>Basic</source>
        <translation>Básico</translation>
    </message>
    <message>
        <source>₹199 / month</source>
        <translation>₹199 / mes</translation>
    </message>
    <message>
        <source>1 device, standard support</source>
        <translation>1 dispositivo, soporte estándar</translation>
    </message>
    <message>
        <source>I choose the Basic plan</source>
        <translation>Elijo el plan Básico</translation>
    </message>
    <message>
        <source>Plus</source>
        <translation>Plus</translation>
    </message>
    <message>
        <source>₹399 / month</source>
        <translation>₹399 / mes</translation>
    </message>
    <message>
        <source>3 devices, priority support</source>
        <translation>3 dispositivos, soporte prioritario</translation>
    </message>
    <message>
        <source>I choose the Plus plan</source>
        <translation>Elijo el plan Plus</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>Familiar</translation>
    </message>
    <message>
        <source>₹599 / month</source>
        <translation>₹599 / mes</translation>
    </message>
    <message>
        <source>6 devices, a dedicated agent</source>
        <translation>6 dispositivos, un agente dedicado</translation>
    </message>
    <message>
        <source>I choose the Family plan</source>
        <translation>Elijo el plan Familiar</translation>
    </message>
    <message>
        <source>Here are our plans</source>
        <translation>Estos son nuestros planes</translation>
    </message>
    <message>
        <source>These might help:</source>
        <translation>Esto podría ayudar:</translation>
    </message>
    <message>
        <source>Open help centre</source>
        <translation>Abrir el centro de ayuda</translation>
    </message>
    <message>
        <source>Download invoice (PDF)</source>
        <translation>Descargar factura (PDF)</translation>
    </message>
    <message>
        <source>Talk to an agent</source>
        <translation>Hablar con un agente</translation>
    </message>
    <message>
        <source>I want to talk to an agent</source>
        <translation>Quiero hablar con un agente</translation>
    </message>
    <message>
        <source>Delivery address</source>
        <translation>Dirección de entrega</translation>
    </message>
    <message>
        <source>Please fill in</source>
        <translation>Completa los datos</translation>
    </message>
    <message>
        <source>Street and number</source>
        <translation>Calle y número</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ciudad</translation>
    </message>
    <message>
        <source>Mumbai</source>
        <translation>Mumbai</translation>
    </message>
    <message>
        <source>Pune</source>
        <translation>Pune</translation>
    </message>
    <message>
        <source>Bengaluru</source>
        <translation>Bengaluru</translation>
    </message>
    <message>
        <source>Delivery date</source>
        <translation>Fecha de entrega</translation>
    </message>
    <message>
        <source>Sure, let me connect you to one of our agents. Please stay with me.</source>
        <translation>Claro, te comunico con uno de nuestros agentes. Por favor, no te vayas.</translation>
    </message>
    <message>
        <source>Connecting you to an agent</source>
        <translation>Comunicándote con un agente</translation>
    </message>
    <message>
        <source>*Great choice!* To finish, I need your delivery address.</source>
        <translation>*¡Excelente elección!* Para terminar, necesito tu dirección de entrega.</translation>
    </message>
    <message>
        <source>Would you like to compare them?</source>
        <translation>¿Quieres compararlos?</translation>
    </message>
    <message>
        <source>Help links</source>
        <translation>Enlaces de ayuda</translation>
    </message>
    <message>
        <source>Our flagship store</source>
        <translation>Nuestra tienda principal</translation>
    </message>
    <message>
        <source>Happy to help. Have a lovely day!</source>
        <translation>Con gusto. ¡Que tengas un excelente día!</translation>
    </message>
    <message>
        <source>there</source>
        <translation>cliente</translation>
    </message>
    <message>
        <source>Hi %1! I&apos;m the demo assistant. What can I do for you?</source>
        <translation>¡Hola, %1! Soy el asistente de demostración. ¿En qué puedo ayudarte?</translation>
    </message>
    <message>
        <source>See plans</source>
        <translation>Ver planes</translation>
    </message>
    <message>
        <source>Show the store</source>
        <translation>Mostrar la tienda</translation>
    </message>
    <message>
        <source>Thanks! Can you check my order status too?</source>
        <translation>¡Gracias! ¿También puedes revisar el estado de mi pedido?</translation>
    </message>
    <message>
        <source>Okay, that makes sense.</source>
        <translation>De acuerdo, tiene sentido.</translation>
    </message>
    <message>
        <source>How long will that take?</source>
        <translation>¿Cuánto tiempo tardará?</translation>
    </message>
    <message>
        <source>Great, thank you so much!</source>
        <translation>¡Genial, muchas gracias!</translation>
    </message>
</context>
<context>
    <name>secrets::ConsoleSecrets</name>
    <message>
        <source>No token is stored for client id &apos;%1&apos;. Enter it in the connection settings or set TRACT_TOKEN.</source>
        <translation>No hay ningún token guardado para el id de cliente &apos;%1&apos;. Ingrésalo en la configuración de conexión o define TRACT_TOKEN.</translation>
    </message>
    <message>
        <source>Set TRACT_TOKEN to pass the token instead.</source>
        <translation>Define TRACT_TOKEN para pasar el token en su lugar.</translation>
    </message>
    <message>
        <source>--agent-token-from-env: TRACT_AGENT_TOKEN is empty or not set</source>
        <translation>--agent-token-from-env: TRACT_AGENT_TOKEN está vacía o no está definida</translation>
    </message>
    <message>
        <source>The agent token was not saved in the keychain (%1); pass it with --agent-token-from-env next time too.</source>
        <translation>El token de agente no se guardó en el llavero (%1); pásalo también con --agent-token-from-env la próxima vez.</translation>
    </message>
    <message>
        <source>No agent token is stored for the hub at %1. Ask your supervisor for one and start once with TRACT_AGENT_TOKEN set and --agent-token-from-env.</source>
        <translation>No hay ningún token de agente guardado para el hub en %1. Pide uno a tu supervisor e inicia una vez con TRACT_AGENT_TOKEN definida y --agent-token-from-env.</translation>
    </message>
    <message>
        <source>Pass the token with TRACT_AGENT_TOKEN and --agent-token-from-env.</source>
        <translation>Pasa el token con TRACT_AGENT_TOKEN y --agent-token-from-env.</translation>
    </message>
</context>
<context>
    <name>secrets::FileSecretFallback</name>
    <message>
        <source>No secret file for &apos;%1&apos; in %2.</source>
        <translation>No hay archivo secreto para &apos;%1&apos; en %2.</translation>
    </message>
    <message>
        <source>Refusing to read %1: it is not a regular file.</source>
        <translation>No se leerá %1: no es un archivo normal.</translation>
    </message>
    <message>
        <source>Refusing to read %1: it belongs to another user.</source>
        <translation>No se leerá %1: pertenece a otro usuario.</translation>
    </message>
    <message>
        <source>Refusing to read %1: other users may read it (mode %2). Treat the secret as leaked: replace it, then make the file private with chmod 600.</source>
        <translation>No se leerá %1: otros usuarios pueden leerlo (modo %2). Considera el secreto como filtrado: reemplázalo y luego haz privado el archivo con chmod 600.</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>No se pudo leer %1: %2</translation>
    </message>
    <message>
        <source>Could not create the private directory %1.</source>
        <translation>No se pudo crear el directorio privado %1.</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>No se pudo escribir %1: %2</translation>
    </message>
    <message>
        <source>Could not make %1 private to its owner.</source>
        <translation>No se pudo hacer %1 privado para su propietario.</translation>
    </message>
    <message>
        <source>Could not delete %1: %2</source>
        <translation>No se pudo eliminar %1: %2</translation>
    </message>
</context>
<context>
    <name>secrets::SecretStore</name>
    <message>
        <source>The keychain has no entry &apos;%1&apos;.</source>
        <translation>El llavero no tiene ninguna entrada &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>The keychain refused access to &apos;%1&apos;: %2</source>
        <translation>El llavero denegó el acceso a &apos;%1&apos;: %2</translation>
    </message>
    <message>
        <source>The keychain failed on &apos;%1&apos;: %2</source>
        <translation>El llavero falló con &apos;%1&apos;: %2</translation>
    </message>
    <message>
        <source>The keychain could not delete &apos;%1&apos;: %2</source>
        <translation>El llavero no pudo eliminar &apos;%1&apos;: %2</translation>
    </message>
    <message>
        <source>No keychain is reachable (is a Secret Service such as GNOME Keyring or KWallet running?): %1</source>
        <translation>No hay ningún llavero accesible (¿se está ejecutando un Secret Service como GNOME Keyring o KWallet?): %1</translation>
    </message>
    <message>
        <source>The keychain did not answer about &apos;%1&apos; within %2 s. Is an unlock prompt waiting for your password?</source>
        <translation>El llavero no respondió sobre «%1» en %2 s. ¿Hay una ventana de desbloqueo esperando su contraseña?</translation>
    </message>
</context>
<context>
    <name>store</name>
    <message>
        <source>[Image]</source>
        <translation>[Imagen]</translation>
    </message>
</context>
<context>
    <name>tract</name>
    <message>
        <source>End user</source>
        <translation>Usuario final</translation>
    </message>
    <message>
        <source>Bot</source>
        <translation>Bot</translation>
    </message>
    <message>
        <source>Haptik</source>
        <translation>Haptik</translation>
    </message>
    <message>
        <source>External chat tool</source>
        <translation>Herramienta de chat externa</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agente</translation>
    </message>
    <message>
        <source>Android</source>
        <translation>Android</translation>
    </message>
    <message>
        <source>Facebook</source>
        <translation>Facebook</translation>
    </message>
    <message>
        <source>Jio</source>
        <translation>Jio</translation>
    </message>
    <message>
        <source>WebSDK</source>
        <translation>WebSDK</translation>
    </message>
    <message>
        <source>iOS</source>
        <translation>iOS</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>Voz</translation>
    </message>
    <message>
        <source>Kookoo</source>
        <translation>Kookoo</translation>
    </message>
    <message>
        <source>Phonecom</source>
        <translation>Phonecom</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <source>Jio Connector</source>
        <translation>Jio Connector</translation>
    </message>
    <message>
        <source>IVR</source>
        <translation>IVR</translation>
    </message>
    <message>
        <source>ISON</source>
        <translation>ISON</translation>
    </message>
    <message>
        <source>JIO IVR</source>
        <translation>JIO IVR</translation>
    </message>
    <message>
        <source>SMS Gupshup</source>
        <translation>SMS Gupshup</translation>
    </message>
    <message>
        <source>Netcore</source>
        <translation>Netcore</translation>
    </message>
    <message>
        <source>Google Business Messages</source>
        <translation>Google Business Messages</translation>
    </message>
    <message>
        <source>Sunshine Zendesk</source>
        <translation>Sunshine Zendesk</translation>
    </message>
    <message>
        <source>Platform %1</source>
        <translation>Plataforma %1</translation>
    </message>
    <message>
        <source>TRACT answered the request to %1 with something the console cannot read: %2</source>
        <translation>TRACT respondió a la solicitud para %1 con algo que la consola no puede leer: %2</translation>
    </message>
    <message>
        <source>TRACT refused to %1: %2</source>
        <translation>TRACT se negó a %1: %2</translation>
    </message>
    <message>
        <source>success is false</source>
        <translation>success es false</translation>
    </message>
</context>
<context>
    <name>tract::OutboxSender</name>
    <message>
        <source>stored request is unreadable: %1</source>
        <translation>la solicitud guardada no se puede leer: %1</translation>
    </message>
</context>
<context>
    <name>tract::TokenKeeper</name>
    <message>
        <source>the console is stopping</source>
        <translation>la consola se está deteniendo</translation>
    </message>
    <message>
        <source>TRACT issued an access token that has already expired</source>
        <translation>TRACT emitió un token de acceso que ya ha caducado</translation>
    </message>
</context>
<context>
    <name>tract::TractCall</name>
    <message>
        <source>No TRACT server address is set, or it is not a valid URL.</source>
        <translation>No se definió ninguna dirección del servidor TRACT, o no es una URL válida.</translation>
    </message>
    <message>
        <source>TRACT at %1 did not answer within %2 s.</source>
        <translation>TRACT en %1 no respondió en %2 s.</translation>
    </message>
    <message>
        <source>Could not connect to TRACT at %1: connection refused.</source>
        <translation>No se pudo conectar a TRACT en %1: conexión rechazada.</translation>
    </message>
    <message>
        <source>Could not find the TRACT server %1.</source>
        <translation>No se encontró el servidor TRACT %1.</translation>
    </message>
    <message>
        <source>TRACT at %1 closed the connection before answering.</source>
        <translation>TRACT en %1 cerró la conexión antes de responder.</translation>
    </message>
    <message>
        <source>The secure connection to TRACT at %1 failed: %2</source>
        <translation>Falló la conexión segura con TRACT en %1: %2</translation>
    </message>
    <message>
        <source>The TRACT address %1 is not an http or https URL.</source>
        <translation>La dirección de TRACT %1 no es una URL http o https.</translation>
    </message>
    <message>
        <source>Could not talk to TRACT at %1: %2</source>
        <translation>No se pudo comunicar con TRACT en %1: %2</translation>
    </message>
    <message>
        <source>TRACT is limiting requests (HTTP 429); try again later.</source>
        <translation>TRACT está limitando las solicitudes (HTTP 429); inténtalo más tarde.</translation>
    </message>
    <message>
        <source>TRACT failed to %1 (HTTP %2): %3</source>
        <translation>TRACT no logró %1 (HTTP %2): %3</translation>
    </message>
    <message>
        <source>TRACT did not accept the credentials (HTTP 401): %1. Check the token and the client id.</source>
        <translation>TRACT no aceptó las credenciales (HTTP 401): %1. Revisa el token y el id de cliente.</translation>
    </message>
    <message>
        <source>TRACT refused: %1 (HTTP 403)</source>
        <translation>TRACT se negó: %1 (HTTP 403)</translation>
    </message>
    <message>
        <source>TRACT could not %1: %2 (HTTP 404)</source>
        <translation>TRACT no pudo %1: %2 (HTTP 404)</translation>
    </message>
    <message>
        <source>TRACT rejected the request to %1: %2 (HTTP 400)</source>
        <translation>TRACT rechazó la solicitud para %1: %2 (HTTP 400)</translation>
    </message>
    <message>
        <source>TRACT could not %1 (HTTP %2): %3</source>
        <translation>TRACT no pudo %1 (HTTP %2): %3</translation>
    </message>
    <message numerus="yes">
        <source>(gave up after %n attempt(s))</source>
        <extracomment>%n: attempts made, including the first</extracomment>
        <translation>
            <numerusform>(se abandonó tras %n intento)</numerusform>
            <numerusform>(se abandonó tras %n intentos)</numerusform>
        </translation>
    </message>
    <message>
        <source>A new access token could not be had: %1</source>
        <translation>No se pudo obtener un nuevo token de acceso: %1</translation>
    </message>
</context>
<context>
    <name>tract::TractClient</name>
    <message>
        <source>register the %1/%2 hook</source>
        <translation>registrar el hook %1/%2</translation>
    </message>
    <message>
        <source>list the registered hooks</source>
        <translation>listar los hooks registrados</translation>
    </message>
    <message>
        <source>get user &apos;%1&apos;</source>
        <translation>obtener el usuario &apos;%1&apos;</translation>
    </message>
    <message>
        <source>get details of user &apos;%1&apos;</source>
        <translation>obtener los detalles del usuario &apos;%1&apos;</translation>
    </message>
    <message>
        <source>send the message to user &apos;%1&apos;</source>
        <translation>enviar el mensaje al usuario &apos;%1&apos;</translation>
    </message>
    <message>
        <source>send the %1/%2 event for user &apos;%3&apos;</source>
        <translation>enviar el evento %1/%2 del usuario &apos;%3&apos;</translation>
    </message>
    <message>
        <source>fetch the listeners of user &apos;%1&apos;</source>
        <translation>obtener los receptores del usuario &apos;%1&apos;</translation>
    </message>
    <message>
        <source>take control of user &apos;%1&apos;</source>
        <translation>tomar el control del usuario &apos;%1&apos;</translation>
    </message>
    <message>
        <source>pass control of user &apos;%1&apos; to &apos;%2&apos;</source>
        <translation>ceder el control del usuario &apos;%1&apos; a &apos;%2&apos;</translation>
    </message>
    <message>
        <source>request control of user &apos;%1&apos;</source>
        <translation>solicitar el control del usuario &apos;%1&apos;</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>no se indicó ningún motivo</translation>
    </message>
    <message>
        <source>issue an access token</source>
        <translation>emitir un token de acceso</translation>
    </message>
</context>
<context>
    <name>tract::WebhookListener</name>
    <message>
        <source>method not allowed; TRACT hooks use POST</source>
        <translation>método no permitido; los hooks de TRACT usan POST</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>no encontrado</translation>
    </message>
    <message>
        <source>unknown hook %1/%2</source>
        <translation>hook desconocido %1/%2</translation>
    </message>
    <message>
        <source>expected Content-Type: application/json</source>
        <translation>se esperaba Content-Type: application/json</translation>
    </message>
</context>
<context>
    <name>tract::auth</name>
    <message>
        <source>the access token is empty</source>
        <translation>el token de acceso está vacío</translation>
    </message>
    <message>
        <source>the access token is longer than %1 bytes</source>
        <translation>el token de acceso ocupa más de %1 bytes</translation>
    </message>
    <message>
        <source>the access token is not a JWT (three dot-separated parts)</source>
        <translation>el token de acceso no es un JWT (tres partes separadas por puntos)</translation>
    </message>
    <message>
        <source>the access token is not a JWT (its parts are not base64url)</source>
        <translation>el token de acceso no es un JWT (sus partes no son base64url)</translation>
    </message>
    <message>
        <source>the access token is not a JWT (header and claims are not JSON objects)</source>
        <translation>el token de acceso no es un JWT (la cabecera y los claims no son objetos JSON)</translation>
    </message>
    <message>
        <source>the body is larger than %1 bytes</source>
        <translation>el cuerpo ocupa más de %1 bytes</translation>
    </message>
    <message>
        <source>the body is empty</source>
        <translation>el cuerpo está vacío</translation>
    </message>
    <message>
        <source>the body is not JSON: %1 at offset %2</source>
        <translation>el cuerpo no es JSON: %1 en la posición %2</translation>
    </message>
    <message>
        <source>the body is not a JSON object</source>
        <translation>el cuerpo no es un objeto JSON</translation>
    </message>
    <message>
        <source>required field missing</source>
        <translation>falta un campo obligatorio</translation>
    </message>
    <message>
        <source>expected string</source>
        <translation>se esperaba una cadena</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>no debe estar vacío</translation>
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation>más de %1 caracteres</translation>
    </message>
    <message>
        <source>the access token was not issued by this TRACT</source>
        <translation>el token de acceso no lo emitió este TRACT</translation>
    </message>
    <message>
        <source>the access token has no expiry</source>
        <translation>el token de acceso no tiene caducidad</translation>
    </message>
    <message>
        <source>the access token expired at %1</source>
        <translation>el token de acceso caducó el %1</translation>
    </message>
    <message>
        <source>the certificate is empty</source>
        <translation>el certificado está vacío</translation>
    </message>
    <message>
        <source>the certificate is larger than %1 bytes</source>
        <translation>el certificado ocupa más de %1 bytes</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>sin memoria</translation>
    </message>
    <message>
        <source>not a PEM certificate (-----BEGIN CERTIFICATE-----)</source>
        <translation>no es un certificado PEM (-----BEGIN CERTIFICATE-----)</translation>
    </message>
    <message>
        <source>the certificate&apos;s validity dates cannot be read</source>
        <translation>no se pueden leer las fechas de validez del certificado</translation>
    </message>
    <message>
        <source>the certificate&apos;s public key cannot be read</source>
        <translation>no se puede leer la clave pública del certificado</translation>
    </message>
    <message>
        <source>cannot compute the certificate&apos;s fingerprint</source>
        <translation>no se puede calcular la huella del certificado</translation>
    </message>
    <message>
        <source>cannot read the certificate %1: %2</source>
        <translation>no se puede leer el certificado %1: %2</translation>
    </message>
    <message>
        <source>the signing certificate is not valid before %1</source>
        <translation>el certificado de firma no es válido antes de %1</translation>
    </message>
    <message>
        <source>the signing certificate expired at %1</source>
        <translation>el certificado de firma caducó el %1</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not among the signing certificate&apos;s DNS names</source>
        <translation>&apos;%1&apos; no está entre los nombres DNS del certificado de firma</translation>
    </message>
    <message>
        <source>the Signature header is empty</source>
        <translation>la cabecera Signature está vacía</translation>
    </message>
    <message>
        <source>the Signature header is longer than 4096 characters</source>
        <translation>la cabecera Signature tiene más de 4096 caracteres</translation>
    </message>
    <message>
        <source>the Signature header is not base64</source>
        <translation>la cabecera Signature no es base64</translation>
    </message>
    <message>
        <source>cannot verify signatures with this certificate</source>
        <translation>no se pueden verificar firmas con este certificado</translation>
    </message>
    <message>
        <source>the signature does not match the body and the signing certificate</source>
        <translation>la firma no coincide con el cuerpo y el certificado de firma</translation>
    </message>
    <message>
        <source>the private key is empty</source>
        <translation>la clave privada está vacía</translation>
    </message>
    <message>
        <source>the private key is larger than %1 bytes</source>
        <translation>la clave privada ocupa más de %1 bytes</translation>
    </message>
    <message>
        <source>the private key is not in PEM format (-----BEGIN PRIVATE KEY-----)</source>
        <translation>la clave privada no está en formato PEM (-----BEGIN PRIVATE KEY-----)</translation>
    </message>
    <message>
        <source>the private key is encrypted; store it unencrypted in a file only you can read, or in the keychain</source>
        <translation>la clave privada está cifrada; guárdela sin cifrar en un archivo que solo usted pueda leer, o en el llavero</translation>
    </message>
    <message>
        <source>the private key cannot be read</source>
        <translation>no se puede leer la clave privada</translation>
    </message>
    <message>
        <source>the RSA key has %1 bits; at least 2048 are needed</source>
        <translation>la clave RSA tiene %1 bits; se necesitan al menos 2048</translation>
    </message>
    <message>
        <source>the private key is neither RSA nor EC</source>
        <translation>la clave privada no es RSA ni EC</translation>
    </message>
    <message>
        <source>cannot read the private key %1: no such file</source>
        <translation>no se puede leer la clave privada %1: no existe el archivo</translation>
    </message>
    <message>
        <source>refusing the private key %1: it is not a regular file</source>
        <translation>se rechaza la clave privada %1: no es un archivo normal</translation>
    </message>
    <message>
        <source>refusing the private key %1: it belongs to another user</source>
        <translation>se rechaza la clave privada %1: pertenece a otro usuario</translation>
    </message>
    <message>
        <source>refusing the private key %1: other users may read it (mode 0%2); make it private with chmod 600, and consider the key leaked</source>
        <translation>se rechaza la clave privada %1: otros usuarios pueden leerla (modo 0%2); hágala privada con chmod 600 y considere la clave filtrada</translation>
    </message>
    <message>
        <source>the private key %1 is larger than %2 bytes</source>
        <translation>la clave privada %1 ocupa más de %2 bytes</translation>
    </message>
    <message>
        <source>cannot read the private key %1: %2</source>
        <translation>no se puede leer la clave privada %1: %2</translation>
    </message>
    <message>
        <source>no private key</source>
        <translation>no hay clave privada</translation>
    </message>
    <message>
        <source>cannot sign the request</source>
        <translation>no se puede firmar la solicitud</translation>
    </message>
    <message>
        <source>expected ISO 8601 UTC time like 2026-12-07T09:30:00Z</source>
        <translation>se esperaba una hora UTC ISO 8601 como 2026-12-07T09:30:00Z</translation>
    </message>
    <message>
        <source>expected &quot;Bearer&quot;</source>
        <translation>se esperaba &quot;Bearer&quot;</translation>
    </message>
    <message>
        <source>expected a number of seconds</source>
        <translation>se esperaba un número de segundos</translation>
    </message>
    <message>
        <source>expected 1 to %1 seconds</source>
        <translation>se esperaban de 1 a %1 segundos</translation>
    </message>
    <message>
        <source>the JWT&apos;s exp claim is not a time</source>
        <translation>el claim exp del JWT no es una hora</translation>
    </message>
</context>
<context>
    <name>tract::hub::HubCommands</name>
    <message>
        <source>the hub could not store the answer: %1</source>
        <translation>el hub no pudo guardar la respuesta: %1</translation>
    </message>
    <message>
        <source>only a supervisor can assign threads</source>
        <translation>solo un supervisor puede asignar conversaciones</translation>
    </message>
    <message>
        <source>%1&apos;s thread is assigned to %2</source>
        <translation>la conversación de %1 está asignada a %2</translation>
    </message>
    <message>
        <source>%1&apos;s thread is not assigned to you; take it first</source>
        <translation>la conversación de %1 no está asignada a ti; tómala primero</translation>
    </message>
    <message>
        <source>unknown action &quot;%1&quot;</source>
        <translation>acción desconocida &quot;%1&quot;</translation>
    </message>
    <message>
        <source>action is missing or not a string</source>
        <translation>action falta o no es una cadena</translation>
    </message>
    <message>
        <source>status must be &quot;online&quot; or &quot;away&quot;</source>
        <translation>status debe ser &quot;online&quot; o &quot;away&quot;</translation>
    </message>
    <message>
        <source>no reply with outbox_id %1</source>
        <translation>no hay ninguna respuesta con outbox_id %1</translation>
    </message>
    <message>
        <source>that reply was sent by %1</source>
        <translation>esa respuesta la envió %1</translation>
    </message>
    <message>
        <source>only a failed reply can be retried</source>
        <translation>solo se puede reintentar una respuesta fallida</translation>
    </message>
    <message>
        <source>only a pending or failed reply can be cancelled</source>
        <translation>solo se puede cancelar una respuesta pendiente o fallida</translation>
    </message>
    <message>
        <source>user_id is missing or not a string</source>
        <translation>user_id falta o no es una cadena</translation>
    </message>
    <message>
        <source>message_body must be an HSL object (or a string holding one)</source>
        <translation>message_body debe ser un objeto HSL (o una cadena que lo contenga)</translation>
    </message>
    <message>
        <source>there is no conversation with %1</source>
        <translation>no hay ninguna conversación con %1</translation>
    </message>
    <message>
        <source>the reply could not be stored: %1</source>
        <translation>no se pudo guardar la respuesta: %1</translation>
    </message>
    <message>
        <source>the event could not be stored: %1</source>
        <translation>no se pudo guardar el evento: %1</translation>
    </message>
    <message>
        <source>agent must be a string (empty: the queue)</source>
        <translation>agent debe ser una cadena (vacía: la cola)</translation>
    </message>
    <message>
        <source>no such agent: %1</source>
        <translation>no existe el agente: %1</translation>
    </message>
    <message>
        <source>no such user: %1</source>
        <translation>no existe el usuario: %1</translation>
    </message>
    <message>
        <source>to is missing: the listener to pass the thread to (iva, sac, …)</source>
        <translation>falta to: el receptor al que ceder la conversación (iva, sac, …)</translation>
    </message>
</context>
<context>
    <name>tract::hub::HubDatabase</name>
    <message>
        <source>cannot create the data directory %1</source>
        <translation>no se puede crear el directorio de datos %1</translation>
    </message>
    <message>
        <source>cannot open %1: %2</source>
        <translation>no se puede abrir %1: %2</translation>
    </message>
    <message>
        <source>cannot prepare %1: %2</source>
        <translation>no se puede preparar %1: %2</translation>
    </message>
    <message>
        <source>an agent name has 1 to 64 characters</source>
        <translation>un nombre de agente tiene de 1 a 64 caracteres</translation>
    </message>
    <message>
        <source>an agent name cannot contain control characters</source>
        <translation>un nombre de agente no puede contener caracteres de control</translation>
    </message>
    <message>
        <source>an agent name cannot start or end with a space</source>
        <translation>un nombre de agente no puede empezar ni terminar con un espacio</translation>
    </message>
    <message>
        <source>expected 1 to 1000 open threads</source>
        <translation>se esperaban de 1 a 1000 conversaciones abiertas</translation>
    </message>
    <message>
        <source>an agent named %1 exists already; remove it first to issue a new token</source>
        <translation>ya existe un agente llamado %1; elimínalo primero para emitir un token nuevo</translation>
    </message>
    <message>
        <source>no agent named %1</source>
        <translation>no hay ningún agente llamado %1</translation>
    </message>
</context>
<context>
    <name>tract::hub::HubServer</name>
    <message>
        <source>--hub-tls-cert and --hub-tls-key go together</source>
        <translation>--hub-tls-cert y --hub-tls-key deben usarse juntas</translation>
    </message>
    <message>
        <source>cannot read %1</source>
        <translation>no se puede leer %1</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation>%1 no contiene ningún certificado PEM</translation>
    </message>
    <message>
        <source>%1 holds no PEM private key (RSA or EC, unencrypted)</source>
        <translation>%1 no contiene ninguna clave privada PEM (RSA o EC, sin cifrar)</translation>
    </message>
    <message>
        <source>the hub cannot listen on %1:%2: %3</source>
        <translation>el hub no puede escuchar en %1:%2: %3</translation>
    </message>
    <message>
        <source>no hello within 5 s</source>
        <translation>no se recibió hello en 5 s</translation>
    </message>
    <message>
        <source>only text frames</source>
        <translation>solo se admiten tramas de texto</translation>
    </message>
    <message>
        <source>say hello first</source>
        <translation>primero hay que enviar hello</translation>
    </message>
    <message>
        <source>the frame is not JSON: %1 at offset %2</source>
        <translation>la trama no es JSON: %1 en la posición %2</translation>
    </message>
    <message>
        <source>a frame must be a JSON object</source>
        <translation>una trama debe ser un objeto JSON</translation>
    </message>
    <message>
        <source>hello was said already</source>
        <translation>hello ya se envió</translation>
    </message>
    <message>
        <source>unknown frame type &quot;%1&quot;</source>
        <translation>tipo de trama desconocido &quot;%1&quot;</translation>
    </message>
    <message>
        <source>type is missing or not a string</source>
        <translation>type falta o no es una cadena</translation>
    </message>
    <message>
        <source>a command needs an id: a string of 1 to 128 characters</source>
        <translation>un comando necesita un id: una cadena de 1 a 128 caracteres</translation>
    </message>
    <message>
        <source>too many commands</source>
        <translation>demasiados comandos</translation>
    </message>
    <message>
        <source>too many commands: at most 20 a second; send it again later</source>
        <translation>demasiados comandos: como máximo 20 por segundo; vuelve a enviarlo más tarde</translation>
    </message>
    <message>
        <source>not authenticated</source>
        <translation>no autenticado</translation>
    </message>
    <message>
        <source>the hub is shutting down</source>
        <translation>el hub se está cerrando</translation>
    </message>
</context>
<context>
    <name>tract::hub::TeamHub</name>
    <message>
        <source>token revoked</source>
        <translation>token revocado</translation>
    </message>
</context>
<context>
    <name>tract::team::TeamState</name>
    <message>
        <source>%1&apos;s thread is assigned to %2.</source>
        <translation>La conversación de %1 está asignada a %2.</translation>
    </message>
    <message>
        <source>%1 is waiting in the queue: take the thread first.</source>
        <translation>%1 está esperando en la cola: primero toma la conversación.</translation>
    </message>
    <message>
        <source>%1&apos;s thread is not assigned to you: take it first.</source>
        <translation>La conversación de %1 no está asignada a ti: tómala primero.</translation>
    </message>
</context>
<context>
    <name>tract::views</name>
    <message>
        <source>no owner</source>
        <translation>sin propietario</translation>
    </message>
    <message>
        <source>owner: %1</source>
        <translation>propietario: %1</translation>
    </message>
</context>
<context>
    <name>tract::views::EventFeedModel</name>
    <message>
        <source>Handed over to agents</source>
        <translation>Transferida a agentes</translation>
    </message>
    <message>
        <source>Conversation complete</source>
        <translation>Conversación completada</translation>
    </message>
    <message>
        <source>Waiting for the end user</source>
        <translation>Esperando al usuario final</translation>
    </message>
    <message>
        <source>An agent joined</source>
        <translation>Se unió un agente</translation>
    </message>
    <message>
        <source>With the bot again</source>
        <translation>De nuevo con el bot</translation>
    </message>
    <message>
        <source>User created</source>
        <translation>Usuario creado</translation>
    </message>
    <message>
        <source>Chat received by an agent</source>
        <translation>Chat recibido por un agente</translation>
    </message>
    <message>
        <source>Chat allocated to an agent</source>
        <translation>Chat asignado a un agente</translation>
    </message>
    <message>
        <source>End user timed out</source>
        <translation>Tiempo de espera del usuario final agotado</translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation>Transferida</translation>
    </message>
    <message>
        <source>Entity updated</source>
        <translation>Entidad actualizada</translation>
    </message>
    <message>
        <source>%1 sent</source>
        <translation>Enviado: %1</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>Error en %1: %2</translation>
    </message>
    <message>
        <source>%1 cancelled</source>
        <translation>Cancelado: %1</translation>
    </message>
    <message>
        <source>%1 queued for retry</source>
        <translation>%1 en cola para reintentar</translation>
    </message>
    <message>
        <source>in</source>
        <translation>entrada</translation>
    </message>
    <message>
        <source>out</source>
        <translation>salida</translation>
    </message>
    <message>
        <source>local</source>
        <translation>local</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
</context>
<context>
    <name>tract::views::TeamModel</name>
    <message>
        <source>Online</source>
        <translation>En línea</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>Ausente</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Desconectado</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agente</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (tú)</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Open threads: %1 of a capacity of %2</source>
        <translation>Conversaciones abiertas: %1 de una capacidad de %2</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <source>Presence</source>
        <translation>Presencia</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Carga</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Conversaciones</translation>
    </message>
    <message>
        <source>Longest wait</source>
        <translation>Espera más larga</translation>
    </message>
</context>
<context>
    <name>ui::AlertBanner</name>
    <message>
        <source>Alert</source>
        <translation>Aviso</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Abrir</translation>
    </message>
    <message>
        <source>Open the thread</source>
        <translation>Abrir el hilo</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Dismiss the alert</source>
        <translation>Descartar el aviso</translation>
    </message>
    <message numerus="yes">
        <source>%n more since you last looked</source>
        <translation>
            <numerusform>%n más desde la última vez que miró</numerusform>
            <numerusform>%n más desde la última vez que miró</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>ui::CannedResponsePicker</name>
    <message>
        <source>Canned responses</source>
        <translation>Respuestas predefinidas</translation>
    </message>
    <message>
        <source>Search canned responses</source>
        <translation>Buscar respuestas predefinidas</translation>
    </message>
    <message>
        <source>No canned response matches.</source>
        <translation>Ninguna respuesta predefinida coincide.</translation>
    </message>
    <message>
        <source>↑↓ to move, Enter to insert, Esc to close</source>
        <translation>↑↓ para moverse, Enter para insertar, Esc para cerrar</translation>
    </message>
</context>
<context>
    <name>ui::CannedResponses</name>
    <message>
        <source>Hi {name}, I&apos;m {agent} and I&apos;ll help you from here.</source>
        <translation>Hola, {name}. Soy {agent} y te ayudaré a partir de ahora.</translation>
    </message>
    <message>
        <source>Thanks for waiting, {name}. I&apos;m looking into this and will be back in a moment.</source>
        <translation>Gracias por esperar, {name}. Estoy revisando esto y vuelvo en un momento.</translation>
    </message>
    <message>
        <source>Let me check that for you. It may take a minute or two.</source>
        <translation>Déjame revisarlo. Puede tardar uno o dos minutos.</translation>
    </message>
    <message>
        <source>I&apos;m sorry for the trouble, {name}. Let&apos;s get this sorted.</source>
        <translation>Lamento las molestias, {name}. Vamos a resolverlo.</translation>
    </message>
    <message>
        <source>I&apos;m passing you to a colleague who can help with this. Please stay in the chat.</source>
        <translation>Te paso con un colega que puede ayudarte con esto. Por favor, no salgas del chat.</translation>
    </message>
    <message>
        <source>Is there anything else I can help you with?</source>
        <translation>¿Hay algo más en lo que pueda ayudarte?</translation>
    </message>
    <message>
        <source>Thank you, {name}!</source>
        <translation>¡Gracias, {name}!</translation>
    </message>
    <message>
        <source>Thanks for chatting with us, {name}. Have a great day!</source>
        <translation>Gracias por chatear con nosotros, {name}. ¡Que tengas un excelente día!</translation>
    </message>
    <message>
        <source>there</source>
        <translation>cliente</translation>
    </message>
    <message>
        <source>your agent</source>
        <translation>tu agente</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>ui::ClearButton</name>
    <message>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
</context>
<context>
    <name>ui::Composer</name>
    <message>
        <source>Why you cannot reply</source>
        <translation>Por qué no puedes responder</translation>
    </message>
    <message>
        <source>Take control</source>
        <translation>Tomar el control</translation>
    </message>
    <message>
        <source>Take control of this thread (Ctrl+T)</source>
        <translation>Tomar el control de esta conversación (Ctrl+T)</translation>
    </message>
    <message>
        <source>Write a reply… (Enter sends, Shift+Enter new line, / for canned responses)</source>
        <translation>Escribe una respuesta… (Enter envía, Shift+Enter nueva línea, / para respuestas predefinidas)</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <source>Quick replies &amp;&amp; buttons…</source>
        <translation>Respuestas rápidas &amp;&amp; botones…</translation>
    </message>
    <message>
        <source>Build a reply with quick replies or buttons, previewed as the end user will see it</source>
        <translation>Crear una respuesta con respuestas rápidas o botones, con vista previa como la verá el usuario final</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Send reply</source>
        <translation>Enviar respuesta</translation>
    </message>
    <message>
        <source>Choose a conversation to reply.</source>
        <translation>Elige una conversación para responder.</translation>
    </message>
    <message>
        <source>This message cannot be sent.</source>
        <translation>Este mensaje no se puede enviar.</translation>
    </message>
</context>
<context>
    <name>ui::ConversationView</name>
    <message>
        <source>Conversation</source>
        <translation>Conversación</translation>
    </message>
    <message>
        <source>End user</source>
        <translation>Usuario final</translation>
    </message>
    <message>
        <source>Bot</source>
        <translation>Bot</translation>
    </message>
    <message>
        <source>Agent chat tool</source>
        <translation>Herramienta de chat de agentes</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Tú</translation>
    </message>
    <message>
        <source>Haptik</source>
        <translation>Haptik</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <source>⚠ Not delivered: %1</source>
        <translation>⚠ No entregado: %1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>✓ Sent</source>
        <translation>✓ Enviado</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>No messages in this conversation yet</source>
        <translation>Aún no hay mensajes en esta conversación</translation>
    </message>
    <message>
        <source>Choose a conversation on the left</source>
        <translation>Elige una conversación a la izquierda</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>Abrir enlace</translation>
    </message>
    <message>
        <source>Open this link on %1 in your browser?

%2</source>
        <translation>¿Abrir este enlace de %1 en el navegador?

%2</translation>
    </message>
    <message>
        <source>Copy selection</source>
        <translation>Copiar selección</translation>
    </message>
    <message>
        <source>Copy message text</source>
        <translation>Copiar texto del mensaje</translation>
    </message>
    <message>
        <source>Copy message JSON</source>
        <translation>Copiar JSON del mensaje</translation>
    </message>
    <message>
        <source>Show raw JSON</source>
        <translation>Mostrar JSON sin procesar</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>a message for a screen reader: who and when, then what</comment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>a reply for a screen reader, then its delivery state</comment>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>ui::DesktopNotifications</name>
    <message>
        <source>TRACT Console</source>
        <translation>TRACT Console</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
</context>
<context>
    <name>ui::ElidedLabel</name>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
</context>
<context>
    <name>ui::EventFeedPanel</name>
    <message>
        <source>&amp;Category:</source>
        <translation>&amp;Categoría:</translation>
    </message>
    <message>
        <source>Event category</source>
        <translation>Categoría de eventos</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Todos</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Mensajes</translation>
    </message>
    <message>
        <source>Conversation state</source>
        <translation>Estado de la conversación</translation>
    </message>
    <message>
        <source>Agent events</source>
        <translation>Eventos de agentes</translation>
    </message>
    <message>
        <source>User events</source>
        <translation>Eventos de usuarios</translation>
    </message>
    <message>
        <source>Thread control</source>
        <translation>Control de la conversación</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Bandeja de salida</translation>
    </message>
    <message>
        <source>Number of events</source>
        <translation>Número de eventos</translation>
    </message>
    <message>
        <source>Show raw &amp;JSON</source>
        <translation>Mostrar &amp;JSON sin procesar</translation>
    </message>
    <message>
        <source>Show raw JSON</source>
        <translation>Mostrar JSON sin procesar</translation>
    </message>
    <message>
        <source>Event feed</source>
        <translation>Feed de eventos</translation>
    </message>
    <message>
        <source>Raw JSON of the selected event</source>
        <translation>JSON sin procesar del evento seleccionado</translation>
    </message>
    <message>
        <source>Select an event to see its raw JSON.</source>
        <translation>Selecciona un evento para ver su JSON sin procesar.</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n evento</numerusform>
            <numerusform>%n eventos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ui::FirstRunDialog</name>
    <message>
        <source>Welcome to TRACT Console</source>
        <translation>Bienvenido a TRACT Console</translation>
    </message>
    <message>
        <source>TRACT Console lets your agents chat with Haptik end users. Nothing is configured yet.</source>
        <translation>TRACT Console permite a tus agentes chatear con los usuarios finales de Haptik. Aún no hay nada configurado.</translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation>Probar la demo</translation>
    </message>
    <message>
        <source>Start the built-in sandbox with simulated users and a bot. No Haptik account needed.</source>
        <translation>Iniciar el sandbox integrado con usuarios simulados y un bot. No se necesita una cuenta de Haptik.</translation>
    </message>
    <message>
        <source>Connect to TRACT</source>
        <translation>Conectar a TRACT</translation>
    </message>
    <message>
        <source>Enter your TRACT URL, client id and token.</source>
        <translation>Ingresa la URL de TRACT, el id de cliente y el token.</translation>
    </message>
</context>
<context>
    <name>ui::MainWindow</name>
    <message>
        <source>&amp;Conversations</source>
        <translation>&amp;Conversaciones</translation>
    </message>
    <message>
        <source>&amp;Ownership board</source>
        <translation>Tablero de &amp;propiedad</translation>
    </message>
    <message>
        <source>Search threads (Ctrl+K)</source>
        <translation>Buscar conversaciones (Ctrl+K)</translation>
    </message>
    <message>
        <source>Search threads</source>
        <translation>Buscar conversaciones</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Mías</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Cola</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En espera</translation>
    </message>
    <message>
        <source>Bot</source>
        <translation>Bot</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Todas</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Completadas</translation>
    </message>
    <message>
        <source>Show %1 threads</source>
        <translation>Mostrar conversaciones: %1</translation>
    </message>
    <message>
        <source>Longest waiting first</source>
        <translation>Mayor espera primero</translation>
    </message>
    <message>
        <source>Latest activity first</source>
        <translation>Actividad reciente primero</translation>
    </message>
    <message>
        <source>Sort threads</source>
        <translation>Ordenar conversaciones</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Conversaciones</translation>
    </message>
    <message>
        <source>Jump to new messages</source>
        <translation>Ir a mensajes nuevos</translation>
    </message>
    <message numerus="yes">
        <source>↓ %n new message(s)</source>
        <translation>
            <numerusform>↓ %n mensaje nuevo</numerusform>
            <numerusform>↓ %n mensajes nuevos</numerusform>
        </translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Thread control</source>
        <translation>Control de la conversación</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Configuración…</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Thread</source>
        <translation>&amp;Conversación</translation>
    </message>
    <message>
        <source>&amp;Jump to thread…</source>
        <translation>&amp;Ir a conversación…</translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <source>&amp;Previous thread</source>
        <translation>Conversación &amp;anterior</translation>
    </message>
    <message>
        <source>Alt+Up</source>
        <translation>Alt+Up</translation>
    </message>
    <message>
        <source>&amp;Next thread</source>
        <translation>Conversación si&amp;guiente</translation>
    </message>
    <message>
        <source>Alt+Down</source>
        <translation>Alt+Down</translation>
    </message>
    <message>
        <source>&amp;Take control</source>
        <translation>&amp;Tomar el control</translation>
    </message>
    <message>
        <source>Ctrl+T</source>
        <translation>Ctrl+T</translation>
    </message>
    <message>
        <source>&amp;Pass control to…</source>
        <translation>C&amp;eder el control a…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+P</source>
        <translation>Ctrl+Shift+P</translation>
    </message>
    <message>
        <source>&amp;Request control</source>
        <translation>&amp;Solicitar el control</translation>
    </message>
    <message>
        <source>&amp;Complete conversation</source>
        <translation>&amp;Completar conversación</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>T&amp;eam</source>
        <translation>&amp;Equipo</translation>
    </message>
    <message>
        <source>&amp;Away</source>
        <translation>&amp;Ausente</translation>
    </message>
    <message>
        <source>Ctrl+Shift+A</source>
        <translation>Ctrl+Shift+A</translation>
    </message>
    <message>
        <source>Away: keep your threads and get no new ones</source>
        <translation>Ausente: conservas tus conversaciones y no recibes nuevas</translation>
    </message>
    <message>
        <source>A&amp;ssign open thread to…</source>
        <translation>Asi&amp;gnar conversación abierta a…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>Ctrl+2</source>
        <translation>Ctrl+2</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Tema</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;Sistema</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Claro</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Oscuro</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Atajos de teclado</translation>
    </message>
    <message>
        <source>&amp;About TRACT Console</source>
        <translation>A&amp;cerca de TRACT Console</translation>
    </message>
    <message>
        <source>About TRACT Console</source>
        <translation>Acerca de TRACT Console</translation>
    </message>
    <message>
        <source>TRACT Console %1
A desktop agent console for Haptik&apos;s TRACT API.</source>
        <translation>TRACT Console %1
Una consola de escritorio para agentes para la API TRACT de Haptik.</translation>
    </message>
    <message>
        <source> SANDBOX DEMO </source>
        <translation> DEMO SANDBOX </translation>
    </message>
    <message>
        <source>Connected to the built-in tract-sandbox: simulated users and bot, no Haptik account</source>
        <translation>Conectado al tract-sandbox integrado: usuarios y bot simulados, sin cuenta de Haptik</translation>
    </message>
    <message>
        <source>Hook registrations</source>
        <translation>Registros de hooks</translation>
    </message>
    <message>
        <source>Hub connection</source>
        <translation>Conexión con el hub</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>En línea</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>Ausente</translation>
    </message>
    <message>
        <source>My presence</source>
        <translation>Mi presencia</translation>
    </message>
    <message>
        <source>Online: the hub routes new threads to you. Away: you keep your threads and get no new ones (Ctrl+Shift+A)</source>
        <translation>En línea: el hub te asigna conversaciones nuevas. Ausente: conservas tus conversaciones y no recibes nuevas (Ctrl+Shift+A)</translation>
    </message>
    <message>
        <source>Listening on %1</source>
        <translation>Escuchando en %1</translation>
    </message>
    <message>
        <source>Hooks %1 of %2</source>
        <translation>Hooks %1 de %2</translation>
    </message>
    <message>
        <source>Click for the state of each hook registration</source>
        <translation>Haz clic para ver el estado de cada registro de hook</translation>
    </message>
    <message>
        <source>Outbox empty</source>
        <translation>Bandeja de salida vacía</translation>
    </message>
    <message numerus="yes">
        <source>%n reply(ies) waiting to send</source>
        <translation>
            <numerusform>%n respuesta pendiente de envío</numerusform>
            <numerusform>%n respuestas pendientes de envío</numerusform>
        </translation>
    </message>
    <message>
        <source>No registration attempted yet.</source>
        <translation>Aún no se ha intentado ningún registro.</translation>
    </message>
    <message>
        <source>TRACT Console</source>
        <translation>TRACT Console</translation>
    </message>
    <message>
        <source> — Sandbox demo</source>
        <translation> — Demo en sandbox</translation>
    </message>
    <message>
        <source>(%1) %2</source>
        <translation>(%1) %2</translation>
    </message>
    <message>
        <source>No conversation open</source>
        <translation>Ninguna conversación abierta</translation>
    </message>
    <message>
        <source>Pick a thread on the left, or press Ctrl+K to find one.</source>
        <translation>Elige una conversación a la izquierda o presiona Ctrl+K para buscar una.</translation>
    </message>
    <message>
        <source>conversation %1</source>
        <translation>conversación %1</translation>
    </message>
    <message>
        <source>in the queue</source>
        <translation>en la cola</translation>
    </message>
    <message>
        <source>assigned to you</source>
        <translation>asignada a ti</translation>
    </message>
    <message>
        <source>assigned to %1</source>
        <translation>asignada a %1</translation>
    </message>
    <message>
        <source>This conversation is complete. It reopens when the end user writes again.</source>
        <translation>Esta conversación está completada. Se reabre cuando el usuario final vuelva a escribir.</translation>
    </message>
    <message>
        <source>The bot owns this thread. Take control to reply.</source>
        <translation>El bot es propietario de esta conversación. Toma el control para responder.</translation>
    </message>
    <message>
        <source>%1 owns this thread. Take or request control to reply.</source>
        <translation>%1 es propietario de esta conversación. Toma o solicita el control para responder.</translation>
    </message>
    <message>
        <source>&amp;Team</source>
        <translation>&amp;Equipo</translation>
    </message>
    <message>
        <source>&amp;Team board</source>
        <translation>Tablero del &amp;equipo</translation>
    </message>
    <message>
        <source>Mine (%1)</source>
        <translation>Mías (%1)</translation>
    </message>
    <message>
        <source>Show threads assigned to me</source>
        <translation>Mostrar conversaciones asignadas a mí</translation>
    </message>
    <message>
        <source>Queue (%1)</source>
        <translation>Cola (%1)</translation>
    </message>
    <message>
        <source>Show the team&apos;s queue</source>
        <translation>Mostrar la cola del equipo</translation>
    </message>
    <message>
        <source>All team</source>
        <translation>Todo el equipo</translation>
    </message>
    <message>
        <source>Show all the team&apos;s threads</source>
        <translation>Mostrar todas las conversaciones del equipo</translation>
    </message>
    <message>
        <source>Assign thread</source>
        <translation>Asignar conversación</translation>
    </message>
    <message>
        <source>Bot (iva): completes the conversation</source>
        <translation>Bot (iva): completa la conversación</translation>
    </message>
    <message>
        <source>Haptik agent chat (sac)</source>
        <translation>Chat de agentes de Haptik (sac)</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Vistas</translation>
    </message>
    <message>
        <source>Thread details</source>
        <translation>Detalles de la conversación</translation>
    </message>
    <message>
        <source>Ctrl+Shift+T</source>
        <translation>Ctrl+Shift+T</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>TRACT Console speaks the new language after a restart.</source>
        <translation>TRACT Console usará el nuevo idioma después de reiniciar.</translation>
    </message>
    <message>
        <source>&amp;Restart now</source>
        <translation>&amp;Reiniciar ahora</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>&amp;Más tarde</translation>
    </message>
    <message>
        <source>&amp;System language</source>
        <translation>Idioma del &amp;sistema</translation>
    </message>
    <message>
        <source>Side &amp;panels</source>
        <translation>&amp;Paneles laterales</translation>
    </message>
    <message>
        <source>Ctrl+Shift+D</source>
        <translation>Ctrl+Shift+D</translation>
    </message>
    <message>
        <source>%1 hidden to make room (View menu, %2)</source>
        <translation>%1: oculto para dejar espacio (menú Ver, %2)</translation>
    </message>
    <message>
        <source>Open thread</source>
        <translation>Hilo abierto</translation>
    </message>
    <message>
        <source>Thread state</source>
        <translation>Estado del hilo</translation>
    </message>
    <message>
        <source>Thread &amp;list</source>
        <translation>&amp;Lista de hilos</translation>
    </message>
    <message>
        <source>Ctrl+Shift+L</source>
        <translation>Ctrl+Shift+L</translation>
    </message>
</context>
<context>
    <name>ui::Notifier</name>
    <message>
        <source>A user</source>
        <translation>Un usuario</translation>
    </message>
    <message>
        <source>%1 is waiting for an agent</source>
        <translation>%1 está esperando a un agente</translation>
    </message>
    <message>
        <source>The bot handed the conversation over.</source>
        <translation>El bot transfirió la conversación.</translation>
    </message>
    <message>
        <source>New message from %1</source>
        <translation>Nuevo mensaje de %1</translation>
    </message>
    <message>
        <source>TRACT Console: no unread messages</source>
        <translation>TRACT Console: no hay mensajes sin leer</translation>
    </message>
    <message numerus="yes">
        <source>TRACT Console: %n unread message(s)</source>
        <translation>
            <numerusform>TRACT Console: %n mensaje sin leer</numerusform>
            <numerusform>TRACT Console: %n mensajes sin leer</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Show TRACT Console</source>
        <translation>&amp;Mostrar TRACT Console</translation>
    </message>
</context>
<context>
    <name>ui::OwnershipBoard</name>
    <message>
        <source>59 min 59 s</source>
        <translation>59 min 59 s</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>&amp;Mostrar:</translation>
    </message>
    <message>
        <source>Thread state filter</source>
        <translation>Filtro de estado de la conversación</translation>
    </message>
    <message>
        <source>All threads</source>
        <translation>Todas las conversaciones</translation>
    </message>
    <message>
        <source>Waiting for agent</source>
        <translation>Esperando agente</translation>
    </message>
    <message>
        <source>With me</source>
        <translation>Conmigo</translation>
    </message>
    <message>
        <source>With others</source>
        <translation>Con otros</translation>
    </message>
    <message>
        <source>Bot</source>
        <translation>Bot</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Completadas</translation>
    </message>
    <message>
        <source>Search threads</source>
        <translation>Buscar conversaciones</translation>
    </message>
    <message>
        <source>Filter by name, user id, owner or message</source>
        <translation>Filtrar por nombre, id de usuario, propietario o mensaje</translation>
    </message>
    <message>
        <source>Thread count</source>
        <translation>Número de conversaciones</translation>
    </message>
    <message>
        <source>Thread ownership</source>
        <translation>Propiedad de las conversaciones</translation>
    </message>
    <message>
        <source>Filter by name, user id, owner, agent or message</source>
        <translation>Filtrar por nombre, id de usuario, propietario, agente o mensaje</translation>
    </message>
    <message>
        <source>&amp;Assign to</source>
        <translation>Asi&amp;gnar a</translation>
    </message>
    <message>
        <source>%1 — %2, %3 / %4</source>
        <translation>%1 — %2, %3 / %4</translation>
    </message>
    <message>
        <source>No agents</source>
        <translation>Sin agentes</translation>
    </message>
    <message>
        <source>Back to the &amp;queue</source>
        <translation>Devolver a la &amp;cola</translation>
    </message>
    <message>
        <source>Thread actions</source>
        <translation>Acciones de la conversación</translation>
    </message>
    <message>
        <source>&amp;Open conversation</source>
        <translation>&amp;Abrir conversación</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message numerus="yes">
        <source>%n thread(s), %1 waiting</source>
        <translation>
            <numerusform>%n conversación, %1 en espera</numerusform>
            <numerusform>%n conversaciones, %1 en espera</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ui::RichReplyDialog</name>
    <message>
        <source>Reply with quick replies or buttons</source>
        <translation>Responder con respuestas rápidas o botones</translation>
    </message>
    <message>
        <source>Text with quick replies</source>
        <translation>Texto con respuestas rápidas</translation>
    </message>
    <message>
        <source>Text with buttons</source>
        <translation>Texto con botones</translation>
    </message>
    <message>
        <source>Reply kind</source>
        <translation>Tipo de respuesta</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Tipo:</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Texto del mensaje</translation>
    </message>
    <message>
        <source>&amp;Text:</source>
        <translation>Te&amp;xto:</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Etiqueta</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
    <message>
        <source>Message or URL</source>
        <translation>Mensaje o URL</translation>
    </message>
    <message>
        <source>Quick replies or buttons</source>
        <translation>Respuestas rápidas o botones</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Agregar</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>As the end user sees it:</source>
        <translation>Como lo ve el usuario final:</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vista previa</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Sí</translation>
    </message>
    <message>
        <source>No, thanks</source>
        <translation>No, gracias</translation>
    </message>
    <message>
        <source>Send text</source>
        <translation>Enviar texto</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>Abrir enlace</translation>
    </message>
    <message>
        <source>✖ %1</source>
        <translation>✖ %1</translation>
    </message>
    <message>
        <source>⚠ %1</source>
        <translation>⚠ %1</translation>
    </message>
</context>
<context>
    <name>ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>TRACT</source>
        <translation>TRACT</translation>
    </message>
    <message>
        <source>TRACT &amp;URL:</source>
        <translation>&amp;URL de TRACT:</translation>
    </message>
    <message>
        <source>TRACT URL</source>
        <translation>URL de TRACT</translation>
    </message>
    <message>
        <source>&amp;Client id:</source>
        <translation>Id de &amp;cliente:</translation>
    </message>
    <message>
        <source>Client id</source>
        <translation>Id de cliente</translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation>&amp;Token:</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored token</source>
        <translation>Déjalo vacío para conservar el token guardado</translation>
    </message>
    <message>
        <source>Webhook listener</source>
        <translation>Receptor de webhooks</translation>
    </message>
    <message>
        <source>Listen &amp;address:</source>
        <translation>&amp;Dirección de escucha:</translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation>Dirección de escucha</translation>
    </message>
    <message>
        <source>Listen &amp;port:</source>
        <translation>&amp;Puerto de escucha:</translation>
    </message>
    <message>
        <source>Listen port</source>
        <translation>Puerto de escucha</translation>
    </message>
    <message>
        <source>0 (any free port)</source>
        <translation>0 (cualquier puerto libre)</translation>
    </message>
    <message>
        <source>Pu&amp;blic URL:</source>
        <translation>URL pú&amp;blica:</translation>
    </message>
    <message>
        <source>Public URL</source>
        <translation>URL pública</translation>
    </message>
    <message>
        <source>Empty: the listen address</source>
        <translation>Vacío: la dirección de escucha</translation>
    </message>
    <message>
        <source>The address TRACT posts hooks to, when it differs from the listen address (a tunnel or reverse proxy)</source>
        <translation>La dirección a la que TRACT envía los hooks, si difiere de la dirección de escucha (un túnel o proxy inverso)</translation>
    </message>
    <message>
        <source>Hook &amp;secret:</source>
        <translation>&amp;Secreto de hooks:</translation>
    </message>
    <message>
        <source>Hook secret</source>
        <translation>Secreto de hooks</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored secret</source>
        <translation>Déjalo vacío para conservar el secreto guardado</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agente</translation>
    </message>
    <message>
        <source>&amp;Receiver id:</source>
        <translation>Id de &amp;receptor:</translation>
    </message>
    <message>
        <source>Receiver id</source>
        <translation>Id de receptor</translation>
    </message>
    <message>
        <source>Empty: the client id</source>
        <translation>Vacío: el id de cliente</translation>
    </message>
    <message>
        <source>&amp;Display name:</source>
        <translation>&amp;Nombre visible:</translation>
    </message>
    <message>
        <source>Agent display name</source>
        <translation>Nombre visible del agente</translation>
    </message>
    <message>
        <source>Used in canned responses as {agent}</source>
        <translation>Se usa en las respuestas predefinidas como {agent}</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Notificaciones</translation>
    </message>
    <message>
        <source>Desktop notification when the bot &amp;hands a thread to agents</source>
        <translation>Notificación de escritorio cuando el bot trans&amp;fiere una conversación a los agentes</translation>
    </message>
    <message>
        <source>Notify on handoff</source>
        <translation>Notificar al transferir</translation>
    </message>
    <message>
        <source>Desktop notification for new &amp;messages in my threads while the window is inactive</source>
        <translation>Notificación de escritorio para nuevos &amp;mensajes en mis conversaciones cuando la ventana está inactiva</translation>
    </message>
    <message>
        <source>Notify on new message</source>
        <translation>Notificar mensajes nuevos</translation>
    </message>
    <message>
        <source>Play a &amp;sound with notifications</source>
        <translation>Reproducir un s&amp;onido con las notificaciones</translation>
    </message>
    <message>
        <source>Notification sound</source>
        <translation>Sonido de notificación</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Guardar configuración</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>%1 error</source>
        <translation>Error de %1</translation>
    </message>
    <message>
        <source>Stored in keychain</source>
        <translation>Guardado en el llavero</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>Sin definir</translation>
    </message>
    <message>
        <source>Enter a URL, such as https://tract.example.com</source>
        <translation>Ingresa una URL, como https://tract.example.com</translation>
    </message>
    <message>
        <source>This is not a valid URL</source>
        <translation>Esta no es una URL válida</translation>
    </message>
    <message>
        <source>The URL must start with http:// or https://</source>
        <translation>La URL debe comenzar con http:// o https://</translation>
    </message>
    <message>
        <source>The URL needs a host name, such as https://tract.example.com</source>
        <translation>La URL necesita un nombre de host, como https://tract.example.com</translation>
    </message>
    <message>
        <source>The port must be a number from 0 to 65535 (0 picks a free port)</source>
        <translation>El puerto debe ser un número de 0 a 65535 (0 elige un puerto libre)</translation>
    </message>
    <message>
        <source>Enter an address to listen on, such as 127.0.0.1 or 0.0.0.0</source>
        <translation>Ingresa una dirección de escucha, como 127.0.0.1 o 0.0.0.0</translation>
    </message>
    <message>
        <source>Enter an IP address, such as 127.0.0.1, 0.0.0.0 or ::1</source>
        <translation>Ingresa una dirección IP, como 127.0.0.1, 0.0.0.0 o ::1</translation>
    </message>
    <message>
        <source>The client id is required</source>
        <translation>El id de cliente es obligatorio</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historial</translation>
    </message>
    <message>
        <source>Delete completed conversations after days</source>
        <translation>Eliminar las conversaciones completadas después de días</translation>
    </message>
    <message>
        <source>Never: keep everything</source>
        <translation>Nunca: conservar todo</translation>
    </message>
    <message>
        <source> days</source>
        <translation> días</translation>
    </message>
    <message>
        <source>Completed conversations last active longer ago than this are deleted in the background, with their events. Applies from the next start; --retain-days overrides it.</source>
        <translation>Las conversaciones completadas sin actividad desde hace más tiempo se eliminan en segundo plano, con sus eventos. Se aplica desde el próximo inicio; --retain-days tiene prioridad.</translation>
    </message>
    <message>
        <source>Delete &amp;completed conversations after:</source>
        <translation>Eliminar conversaciones &amp;completadas después de:</translation>
    </message>
</context>
<context>
    <name>ui::ShortcutsDialog</name>
    <message>
        <source>Composer</source>
        <translation>Editor</translation>
    </message>
    <message>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>Enviar el mensaje</translation>
    </message>
    <message>
        <source>New line</source>
        <translation>Nueva línea</translation>
    </message>
    <message>
        <source>Canned responses</source>
        <translation>Respuestas predefinidas</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Atajo</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Conversación</translation>
    </message>
    <message>
        <source>Previous / next message (read aloud by a screen reader)</source>
        <translation>Mensaje anterior / siguiente (lo lee el lector de pantalla)</translation>
    </message>
    <message>
        <source>Newest message</source>
        <translation>Mensaje más reciente</translation>
    </message>
    <message>
        <source>Copy the selected text</source>
        <translation>Copiar el texto seleccionado</translation>
    </message>
    <message>
        <source>Next / previous control</source>
        <translation>Control siguiente / anterior</translation>
    </message>
    <message>
        <source>Close a menu, dialog or list</source>
        <translation>Cerrar un menú, diálogo o lista</translation>
    </message>
</context>
<context>
    <name>ui::TeamBoard</name>
    <message>
        <source>Queue</source>
        <translation>Cola</translation>
    </message>
    <message>
        <source>Drop a thread here to send it back to the queue</source>
        <translation>Suelta una conversación aquí para devolverla a la cola</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Equipo</translation>
    </message>
    <message>
        <source>Team summary</source>
        <translation>Resumen del equipo</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>Agentes</translation>
    </message>
    <message>
        <source>Online: %1 of %2 · Open threads: %3</source>
        <translation>En línea: %1 de %2 · Conversaciones abiertas: %3</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>vacía</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting, oldest %1</source>
        <translation>
            <numerusform>%n en espera, la más antigua %1</numerusform>
            <numerusform>%n en espera, la más antigua %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n en espera</numerusform>
            <numerusform>%n en espera</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ui::ThreadControlPanel</name>
    <message>
        <source>default</source>
        <translation>predeterminado</translation>
    </message>
    <message>
        <source>primary</source>
        <translation>principal</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>propietario</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (tú)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Thread control</source>
        <translation>Control de la conversación</translation>
    </message>
    <message>
        <source>Fetch the listeners again</source>
        <translation>Volver a obtener los receptores</translation>
    </message>
    <message>
        <source>Refresh listeners</source>
        <translation>Actualizar receptores</translation>
    </message>
    <message>
        <source>Listeners</source>
        <translation>Receptores</translation>
    </message>
    <message>
        <source>&amp;Take control</source>
        <translation>&amp;Tomar el control</translation>
    </message>
    <message>
        <source>Take control</source>
        <translation>Tomar el control</translation>
    </message>
    <message>
        <source>Make this console the owner of the thread (Ctrl+T)</source>
        <translation>Hacer que esta consola sea la propietaria de la conversación (Ctrl+T)</translation>
    </message>
    <message>
        <source>Pass to listener</source>
        <translation>Ceder a un receptor</translation>
    </message>
    <message>
        <source>&amp;Pass to…</source>
        <translation>&amp;Ceder a…</translation>
    </message>
    <message>
        <source>Pass to</source>
        <translation>Ceder a</translation>
    </message>
    <message>
        <source>Hand the thread to another listener (Ctrl+Shift+P)</source>
        <translation>Ceder la conversación a otro receptor (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <source>&amp;Request control</source>
        <translation>&amp;Solicitar el control</translation>
    </message>
    <message>
        <source>Request control</source>
        <translation>Solicitar el control</translation>
    </message>
    <message>
        <source>Ask the current owner to pass the thread to you</source>
        <translation>Pedir al propietario actual que te ceda la conversación</translation>
    </message>
    <message>
        <source>Thread control call running</source>
        <translation>Llamada de control de la conversación en curso</translation>
    </message>
    <message>
        <source>Thread control outcome</source>
        <translation>Resultado del control de la conversación</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>No thread selected</source>
        <translation>Ninguna conversación seleccionada</translation>
    </message>
    <message>
        <source>No listeners known for %1</source>
        <translation>No se conocen receptores para %1</translation>
    </message>
    <message numerus="yes">
        <source>%n listener(s) for %1</source>
        <translation>
            <numerusform>%n receptor para %1</numerusform>
            <numerusform>%n receptores para %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ui::ThreadListDelegate</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>En cola</translation>
    </message>
    <message>
        <source>→ you</source>
        <translation>→ a ti</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>owner: %1</source>
        <translation>propietario: %1</translation>
    </message>
</context>
<context>
    <name>ui::UserPanel</name>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(ninguno)</translation>
    </message>
    <message>
        <source>Fetch the user again</source>
        <translation>Volver a obtener el usuario</translation>
    </message>
    <message>
        <source>Refresh user</source>
        <translation>Actualizar usuario</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>Id de usuario</translation>
    </message>
    <message>
        <source>Device platform</source>
        <translation>Plataforma del dispositivo</translation>
    </message>
    <message>
        <source>Third-party user id</source>
        <translation>Id de usuario de terceros</translation>
    </message>
    <message>
        <source>ECT user id</source>
        <translation>Id de usuario de ECT</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nombre:</translation>
    </message>
    <message>
        <source>User id:</source>
        <translation>Id de usuario:</translation>
    </message>
    <message>
        <source>Platform:</source>
        <translation>Plataforma:</translation>
    </message>
    <message>
        <source>Third-party id:</source>
        <translation>Id de terceros:</translation>
    </message>
    <message>
        <source>ECT user id:</source>
        <translation>Id de usuario de ECT:</translation>
    </message>
    <message>
        <source>Details available</source>
        <translation>Detalles disponibles</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>Seleccionar &amp;todo</translation>
    </message>
    <message>
        <source>Select all details</source>
        <translation>Seleccionar todos los detalles</translation>
    </message>
    <message>
        <source>Re&amp;quest details</source>
        <translation>Solicitar &amp;detalles</translation>
    </message>
    <message>
        <source>Request details</source>
        <translation>Solicitar detalles</translation>
    </message>
    <message>
        <source>Ask TRACT for the checked details</source>
        <translation>Pedir a TRACT los detalles marcados</translation>
    </message>
    <message>
        <source>User request running</source>
        <translation>Solicitud de usuario en curso</translation>
    </message>
    <message>
        <source>User panel error</source>
        <translation>Error del panel de usuario</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Received details</source>
        <translation>Detalles recibidos</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detalle</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>No details available</source>
        <translation>No hay detalles disponibles</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
</TS>
