function Z(t,{sampleRate:s=24e3,channels:n=1}={}){let[e,...r]=String(t).split(";");if(e.trim().toLowerCase()!=="audio/pcm")return null;let o=s,i=n;for(let p of r){let[b,h]=p.split("=").map(y=>y.trim().toLowerCase()),f=Number(h);!Number.isInteger(f)||f<=0||(b==="rate"?o=f:b==="channels"&&(i=f))}return{sampleRate:o,channels:i}}function st(t){let s=new Int16Array(t.length);for(let n=0;n<t.length;n++){let e=t[n];s[n]=e>=1?32767:e<=-1?-32768:Math.round(e<0?e*32768:e*32767)}return s}function rt(t){let s=new Float32Array(t.length);for(let n=0;n<t.length;n++)s[n]=t[n]/32768;return s}function ot(t){return t instanceof Uint8Array?t:ArrayBuffer.isView(t)?new Uint8Array(t.buffer,t.byteOffset,t.byteLength):new Uint8Array(t)}var Y=class{constructor(s=1){this.frameBytes=2*s,this.carry=new Uint8Array(0)}push(s){let n=ot(s);if(this.carry.length){let o=new Uint8Array(this.carry.length+n.length);o.set(this.carry),o.set(n,this.carry.length),n=o}let e=n.length-n.length%this.frameBytes;this.carry=n.slice(e);let r=new Int16Array(e/2);for(let o=0,i=0;o<r.length;o++,i+=2)r[o]=(n[i]|n[i+1]<<8)<<16>>16;return r}get pending(){return this.carry.length}},V=class{constructor(s,n,e=1){if(!(s>0&&n>0))throw new RangeError(`axio_nb: sample rates must be positive (got ${s} → ${n})`);this.from=s,this.to=n,this.channels=e,this.step=s/n,this.pos=0,this.prev=null}process(s){let n=this.channels,e=Math.floor(s.length/n);if(this.from===this.to)return s.slice(0,e*n);if(e===0)return new Float32Array(0);let r=this.prev,o=r?1:0,i=e-1+o,p=(y,v)=>y<o&&r?r[v]:s[(y-o)*n+v],b=Math.max(0,Math.ceil((i-this.pos)/this.step)),h=new Float32Array(b*n),f=this.pos;for(let y=0;y<b;y++,f=this.pos+y*this.step){let v=Math.floor(f),m=f-v;for(let c=0;c<n;c++){let g=p(v,c);h[y*n+c]=g+m*(p(v+1,c)-g)}}return this.pos=this.pos+b*this.step-i,this.prev=s.slice((e-1)*n,e*n),h}flush(){let s=this.channels;if(this.from===this.to||!this.prev)return new Float32Array(0);let n=Math.max(0,Math.ceil((1-this.pos)/this.step)),e=new Float32Array(n*s);for(let r=0;r<n;r++)e.set(this.prev,r*s);return this.pos=0,this.prev=null,e}};function at(t){if(!t.length)return 0;let s=t instanceof Int16Array?1/32768:1,n=0;for(let e=0;e<t.length;e++){let r=t[e]*s;n+=r*r}return Math.sqrt(n/t.length)}var G=class{constructor(s){this.data=new Float32Array(s),this.readAt=0,this.available=0}get capacity(){return this.data.length}get space(){return this.data.length-this.available}write(s){let n=this.data.length,e=Math.min(s.length,n-this.available),r=(this.readAt+this.available)%n,o=Math.min(e,n-r);return this.data.set(s.subarray(0,o),r),e>o&&this.data.set(s.subarray(o,e),0),this.available+=e,e}read(s,n=s.length){let e=this.data.length,r=Math.min(n,s.length,this.available),o=Math.min(r,e-this.readAt);return s.set(this.data.subarray(this.readAt,this.readAt+o),0),r>o&&s.set(this.data.subarray(0,r-o),o),this.readAt=(this.readAt+r)%e,this.available-=r,r}clear(){this.readAt=0,this.available=0}};var it=new WeakMap;function J(t,s,n){let e=it.get(t);e||it.set(t,e=new Map);let r=e.get(s);if(!r){if(!t.audioWorklet){let i="axio_nb: this browser has no AudioWorklet (Web Audio needs https or localhost)";return Promise.reject(new Error(i))}let o=URL.createObjectURL(new Blob([n],{type:"text/javascript"}));r=t.audioWorklet.addModule(o).finally(()=>URL.revokeObjectURL(o)),r.catch(()=>e.delete(s)),e.set(s,r)}return r}var I="or pass a file or a variable instead.",Q={blocked:`Microphone blocked: allow it in the browser's site settings, ${I}`,"no-device":`No microphone found: connect one (and check the system's privacy settings), ${I}`,insecure:`The microphone needs https or localhost: open the notebook through one of them, ${I}`,busy:`The microphone could not be opened (another application may hold it): close that and retry, ${I}`,suspended:"Audio is paused until the page is clicked: start the microphone from a click.",unsupported:`This browser cannot capture audio (no AudioWorklet): use a current browser, ${I}`,ended:"The microphone stopped: it was unplugged, or its permission was taken back."},R=class extends Error{constructor(s,n,e){super(n,{cause:e}),this.name="CaptureError",this.reason=s}};function tt(t,{secure:s=globalThis.isSecureContext}={}){if(t instanceof R)return t;let n=t?.name??"",e=i=>new R(i,Q[i],t??void 0);if(t===null)return e(s===!1?"insecure":"unsupported");switch(n){case"NotAllowedError":case"PermissionDeniedError":case"SecurityError":return e("blocked");case"NotFoundError":case"DevicesNotFoundError":return e("no-device");case"OverconstrainedError":{let p=`No microphone matches the constraint ${t.constraint||"?"}: drop it, ${I}`;return new R("no-device",p,t)}case"NotReadableError":case"TrackStartError":case"AbortError":return e("busy")}let r=String(t?.message??t).split(`
`)[0],o=`The microphone failed to start (${n||"Error"}: ${r}), ${I}`;return new R("failed",o,t)}var et="axio-nb-pcm-capture",gt=1e3,mt=500,yt=`
class PcmCaptureProcessor extends AudioWorkletProcessor {
  constructor({ processorOptions: o }) {
    super();
    this.size = o.batchFrames;
    this.batch = new Float32Array(this.size);
    this.fill = 0;
    this.done = false;
    this.port.onmessage = ({ data: m }) => {
      if (m.type !== "stop") return;
      this.flush();
      this.done = true;
      this.port.postMessage({ type: "stopped" });
    };
  }
  flush() {
    if (!this.fill) return;
    const frames = this.batch;
    this.port.postMessage({ type: "frames", frames, length: this.fill }, [frames.buffer]);
    // The transfer detached the old array (its length is 0 now).
    this.batch = new Float32Array(this.size);
    this.fill = 0;
  }
  process(inputs) {
    if (this.done) return false;
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    for (let at = 0; at < input.length; ) {
      const n = Math.min(input.length - at, this.size - this.fill);
      this.batch.set(input.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill === this.size) this.flush();
    }
    return true;
  }
}
registerProcessor(${JSON.stringify(et)}, PcmCaptureProcessor);
`;async function ct({onChunk:t,onLevel:s,onEnd:n,sampleRate:e=24e3,chunkMs:r=40,constraints:o,context:i}){let p=globalThis.navigator?.mediaDevices;if(!globalThis.isSecureContext||!p?.getUserMedia)throw tt(null);let b;try{b=await p.getUserMedia({audio:{echoCancellation:!0,noiseSuppression:!0,autoGainControl:!0,...o}})}catch(u){throw tt(u)}let h=i??new AudioContext({latencyHint:"interactive"}),f=!i,[y]=b.getAudioTracks(),v=null,m=null,c=!1,g=()=>{if(!c){c=!0;for(let u of b.getTracks())u.stop();v?.disconnect(),m&&(m.port.onmessage=null,m.disconnect()),f&&h.state!=="closed"&&h.close().catch(()=>{})}};try{if(await J(h,et,yt).catch(u=>{throw new R("unsupported",Q.unsupported,u)}),h.state!=="running"&&await Promise.race([h.resume(),new Promise(u=>setTimeout(u,gt))]),h.state!=="running")throw new R("suspended",Q.suspended);v=h.createMediaStreamSource(b),m=new AudioWorkletNode(h,et,{numberOfInputs:1,numberOfOutputs:1,outputChannelCount:[1],channelCount:1,channelCountMode:"explicit",channelInterpretation:"speakers",processorOptions:{batchFrames:Math.max(128,Math.round(h.sampleRate*Math.min(r,20)/1e3))}})}catch(u){throw g(),tt(u)}let w=new V(h.sampleRate,e,1),d=Math.max(1,Math.round(e*r/1e3)),C=new Float32Array(d),k=0,E=u=>{k=0,s?.(Math.min(1,at(u))),t(st(u).buffer)},O=u=>{for(let S=0;S<u.length;){let x=Math.min(d-k,u.length-S);C.set(u.subarray(S,S+x),k),k+=x,S+=x,k===d&&E(C)}},M=null,L=()=>{},T=()=>{c||(O(w.flush()),k&&E(C.subarray(0,k)),g(),L())};m.port.onmessage=({data:u})=>{u.type==="frames"?O(w.process(u.frames.subarray(0,u.length))):u.type==="stopped"&&T()},y?.addEventListener("ended",()=>{M||c||(T(),n?.(new R("ended",Q.ended)))}),v.connect(m),m.connect(h.destination);let _=m;return Object.freeze({stop(){return M??=new Promise(u=>{if(L=u,c)return u();_.port.postMessage({type:"stop"}),setTimeout(T,mt)}),M},sampleRate:e,inputSampleRate:h.sampleRate,settings:y?.getSettings?.()??{}})}var X="axio-nb-pcm-player",ut=`
const Ring = (${G.toString()});
class PcmPlayerProcessor extends AudioWorkletProcessor {
  constructor({ processorOptions: o }) {
    super();
    this.channels = o.channels;
    this.ring = new Ring(o.capacityFrames * o.channels);
    this.startFrames = o.startFrames;
    this.progressFrames = o.progressFrames;
    this.tmp = new Float32Array(128 * o.channels);
    this.playing = false;
    this.ending = false;
    this.done = false;
    this.heard = false;
    this.started = false;
    this.read = 0;
    this.reported = 0;
    this.port.onmessage = ({ data: m }) => {
      if (m.type === "data") {
        const n = this.ring.write(m.samples);
        if (n < m.samples.length) this.post("overflow", { dropped: m.samples.length - n });
      } else if (m.type === "end") this.ending = true;
      else if (m.type === "stop") {
        this.done = true;
        this.ring.clear();
      }
    };
  }
  post(type, extra) {
    this.reported = this.read;
    this.port.postMessage({ type, read: this.read, time: currentTime, ...extra });
  }
  process(inputs, outputs) {
    if (this.done) return false;
    const out = outputs[0];
    const n = out[0].length;
    const ch = this.channels;
    const frames = this.ring.available / ch;
    if (!this.playing && (frames >= this.startFrames || (this.ending && frames > 0))) {
      this.playing = true;
      this.post("playing", { first: !this.started });
      this.started = true;
    }
    if (this.playing) {
      const got = Math.min(n, frames);
      this.ring.read(this.tmp, got * ch);
      for (let c = 0; c < out.length; c++) {
        const dst = out[c];
        const src = c < ch ? c : 0;
        for (let i = 0; i < got; i++) dst[i] = this.tmp[i * ch + src];
      }
      if (!this.heard) {
        for (let i = 0; i < got * ch; i++) {
          if (this.tmp[i] !== 0) {
            this.heard = true;
            this.post("audible", { time: currentTime + Math.floor(i / ch) / sampleRate });
            break;
          }
        }
      }
      this.read += got;
      if (got < n) {
        this.playing = false;
        if (!this.ending) this.post("underrun");
      }
    }
    if (!this.playing && this.ending && this.ring.available === 0) {
      this.post("ended");
      this.done = true;
      return false;
    }
    if (this.read - this.reported >= this.progressFrames) this.post("progress");
    return true;
  }
}
registerProcessor(${JSON.stringify(X)}, PcmPlayerProcessor);
`;var lt=100,bt=50,wt=300,N=new Set(["ended","stopped","error"]);function pt({sampleRate:t=24e3,channels:s=1,context:n,destination:e,prebufferMs:r=0,leadMs:o=2e3}={}){let i=n??e?.context,p=i??new AudioContext({latencyHint:"interactive"}),b=!i,h=p.sampleRate,f=new Y(s),y=new V(t,h,s),v=Math.max(1,Math.round(t*lt/1e3))*s,m=Math.max(1,Math.round(h*o/1e3)),c=[],g=0,w=0,d=0,C=!1,k=!1,E="loading",O=null,M=null,L=null,T=null,_=null,u=()=>{},S=new Promise(l=>u=l),x=()=>N.has(E)||p.state==="running"?E:"suspended";function W(l){l&&(E=l);let A=x();A!==O&&(O=A,j.onstate?.(A))}function D(l){let A=p.getOutputTimestamp?.();return A?.performanceTime&&A.contextTime!==void 0?A.performanceTime+(l-A.contextTime)*1e3:performance.now()+(p.outputLatency||p.baseLatency||0)*1e3}function B(l){!M||!l.length||(w+=l.length/s,M.port.postMessage({type:"data",samples:l},[l.buffer]))}function U(){if(!(!M||N.has(E))){for(;c.length&&w-d<m;){let l=c[0];l.length>v?(c[0]=l.subarray(v),l=l.subarray(0,v)):c.shift(),g-=l.length/s,B(y.process(rt(l)))}C&&!c.length&&!k&&(B(y.flush()),M.port.postMessage({type:"end"}),k=!0)}}function H({data:l}){switch(d=l.read,l.type){case"playing":l.first&&(L=D(l.time)),W("playing");break;case"audible":T=D(l.time);break;case"underrun":W("underrun");break;case"ended":return $("ended");case"overflow":console.warn(`axio_nb: the player's buffer overflowed; ${l.dropped} samples dropped`);break}U()}function K(){p.state==="closed"?$("stopped"):W()}function $(l){if(!N.has(E)){if(c.length=0,g=0,M&&(l!=="ended"&&M.port.postMessage({type:"stop"}),M.port.onmessage=null,M.disconnect()),p.removeEventListener("statechange",K),b&&p.state!=="closed"){let A=()=>p.close().catch(()=>{});l==="ended"?setTimeout(A,wt):A()}W(l),u(l)}}let j={push(l){if(C||N.has(E))return;let A=f.push(l);A.length&&(c.push(A),g+=A.length/s,U())},end(){C||N.has(E)||(C=!0,U())},stop(){$("stopped")},resume(){return p.resume()},get state(){return x()},get startedAt(){return L},get audibleAt(){return T},get playedSeconds(){return d/h},get bufferedSeconds(){return N.has(E)?0:(w-d)/h+g/t},get context(){return p},get error(){return _},done:S,onstate:null};return p.addEventListener("statechange",K),queueMicrotask(()=>W()),b&&p.state==="suspended"&&p.resume().catch(()=>{}),J(p,X,ut).then(()=>{N.has(E)||(M=new AudioWorkletNode(p,X,{numberOfInputs:0,numberOfOutputs:1,outputChannelCount:[s],processorOptions:{channels:s,capacityFrames:m+2*Math.ceil(h*lt/1e3)+128,startFrames:Math.max(1,Math.min(m,Math.round(h*r/1e3))),progressFrames:Math.round(h*bt/1e3)}}),M.port.onmessage=H,M.connect(e??p.destination),W("waiting"),U())}).catch(l=>{_=l,$("error")}),j}var xt=120;function ht({context:t,onstate:s,createPlayer:n=pt}){let e=null,r=24e3,o=2,i=[],p=0,b=0,h=!1,f={played:0,underruns:0,played_ms:0},y={played:0,underruns:0,played_ms:0};function v(){if(!e)return;let c=e.playedSeconds;c>b&&(f.played_ms+=Math.round((c-b)*1e3),b=c);let g=Math.floor(c*r)*o;for(;i.length&&i[0]<=g;)i.shift(),f.played+=1}function m(c){if(e)return e;let g=Z(c)??{sampleRate:24e3,channels:1};r=g.sampleRate,o=2*g.channels,i=[],p=0,b=0;let w=n({...g,context:t(),prebufferMs:xt});return w.onstate=d=>{d==="underrun"&&(f.underruns+=1),d==="playing"&&!h&&w.startedAt!==null&&(h=!0,globalThis.performance?.mark?.("axio-nb:speech-playing",{startTime:w.startedAt})),s?.(d)},w.done.then(d=>{d!=="ended"||e!==w||(v(),f.played+=i.length,i=[],e=null)}),e=w}return{push(c,g,w){let d=m(c);for(let C of g)i.push(p+=C);d.push(w)},end(){e?.end()},flush(){if(!e)return 0;v();let c=Math.round(e.bufferedSeconds*1e3);return e.stop(),e=null,i=[],globalThis.performance?.mark?.("axio-nb:voice-flush",{detail:{buffered_ms:c}}),c},increments(){v();let c={played:f.played-y.played,underruns:f.underruns-y.underruns,played_ms:f.played_ms-y.played_ms};return Object.assign(y,f),c.played||c.underruns||c.played_ms?c:null},counts:f,get player(){return e},stop(){e?.stop(),e=null}}}function F(t,s,n,e){let r=t.createElement(s);return n&&(r.className=n),e!==void 0&&(r.textContent=e),r}function z(t,s,n,e,r){let o=F(t,"button",s,n);return o.type="button",o.setAttribute("aria-label",e),o.addEventListener("click",r),o}var dt={connecting:"Connecting…",listening:"Listening","user speaking":"You are speaking","assistant speaking":"Assistant speaking",ended:"Ended"},vt=500,At=/or pass a file or a variable instead\.$/;function Mt(t){return t instanceof R?{reason:t.reason,text:t.message.replace(At,"or type your turn in the box below.")}:{reason:"failed",text:`The microphone failed (${String(t)}): type your turn in the box below.`}}var Kt={render({model:t,el:s}){let n=s.ownerDocument,e=F(n,"div","axio-nb-voice"),r=F(n,"div","axio-nb-voice-row"),o=z(n,"axio-nb-voice-mic","🎙 Microphone","Microphone",()=>{W()}),i=F(n,"div","axio-nb-voice-level");i.setAttribute("role","meter"),i.setAttribute("aria-label","Microphone level"),i.setAttribute("aria-valuemin","0"),i.setAttribute("aria-valuemax","100");let p=F(n,"div","axio-nb-voice-level-bar");i.append(p);let b=F(n,"span","axio-nb-voice-state");b.setAttribute("role","status");let h=z(n,"axio-nb-voice-mute","Mute","Mute",()=>{t.send({type:"mute",on:!u()}),E=!u(),x()}),f=z(n,"axio-nb-voice-talk","Push to talk","Push to talk",()=>{}),y=z(n,"axio-nb-voice-end","End","End",()=>{K()});r.append(o,i,b,h,f,y);let v=F(n,"div","axio-nb-voice-type"),m=F(n,"input","axio-nb-voice-text");m.type="text",m.placeholder="Type a message…",m.setAttribute("aria-label","Message to send");let c=z(n,"axio-nb-voice-send","Send","Send",()=>H());v.append(m,c);let g=F(n,"div","axio-nb-voice-message");g.setAttribute("role","alert"),e.append(r,v,g),s.replaceChildren(e);let w=null,d="off",C=0,k=!1,E=null,O=null,M=()=>O??=new AudioContext({latencyHint:"interactive"}),L=()=>{globalThis.AudioContext&&M().resume().catch(()=>{})},T=ht({context:M,onstate:a=>{a==="suspended"?g.textContent="The browser paused the voice: click anywhere here to hear it.":g.dataset.kind!=="mic"&&(g.textContent="")}}),_=()=>!!t.get("push_to_talk"),u=()=>E??!!t.get("muted"),S=()=>t.get("state")==="ended";function x(){let a=String(t.get("state")||"connecting");e.dataset.state=a,e.dataset.mic=d,e.dataset.muted=String(u()),e.dataset.talking=String(k),b.textContent=u()&&d==="on"?`${dt[a]??a} · muted`:dt[a]??a,o.textContent=d==="on"?"■ Microphone":"🎙 Microphone",o.setAttribute("aria-pressed",String(d==="on")),o.disabled=S()||!(Number(t.get("rate"))>0)||d!=="off"&&d!=="on",h.setAttribute("aria-pressed",String(u())),h.textContent=u()?"Unmute":"Mute",h.disabled=S(),i.setAttribute("aria-valuetext",u()?"muted":`${i.getAttribute("aria-valuenow")??0}`),f.setAttribute("aria-pressed",String(k)),f.disabled=S()||!_()||!(Number(t.get("rate"))>0),f.title=_()?"Hold to talk (or hold the space bar); release to send":"This session detects speech by itself; start one with push_to_talk=True (--push-to-talk) to talk by holding",y.disabled=S(),m.disabled=c.disabled=S()}async function W(){L(),d==="off"?await D():d==="on"&&await B(!0)}async function D(){let a=Number(t.get("rate"));if(!(!(a>0)||d!=="off")){d="starting",x();try{w=await ct({sampleRate:a,chunkMs:40,onChunk:P=>{u()||_()&&!k||t.send({type:"audio",seq:C++,t:Date.now()},void 0,[P])},onLevel:P=>{let q=u()?0:Math.min(100,Math.round(Math.sqrt(P)*140));p.style.width=`${q}%`,i.setAttribute("aria-valuenow",String(q))},onEnd:P=>$(P)})}catch(P){$(P);return}d="on",g.textContent="",t.send({type:"started",rate:w.sampleRate}),x()}}async function B(a){d!=="on"||!w||(d="stopping",x(),await w.stop(),w=null,p.style.width="0%",d="off",a&&t.send({type:"mic_off",chunks:C}),x())}async function U(a){!_()||a===k||S()||(a?(L(),k=!0,t.send({type:"talk",on:!0}),x(),d==="off"&&await D()):(k=!1,t.send({type:"talk",on:!1}),x()))}function H(){let a=m.value.trim();!a||S()||(L(),t.send({type:"text",text:a}),m.value="")}async function K(){await B(!1),t.send({type:"end"}),y.disabled=!0}function $(a){let{reason:P,text:q}=Mt(a);g.textContent=q,g.dataset.kind="mic",d="off",w=null,x(),t.send({type:"error",reason:P,message:q}),U(!1)}f.addEventListener("pointerdown",a=>{f.setPointerCapture?.(a.pointerId),U(!0)});for(let a of["pointerup","pointercancel","lostpointercapture"])f.addEventListener(a,()=>{U(!1)});let j=a=>{if(a.target===m){a.type==="keydown"&&a.key==="Enter"&&!a.shiftKey&&!a.isComposing&&(a.preventDefault(),H());return}a.key!==" "||!_()||(a.preventDefault(),a.stopPropagation(),a.repeat||U(a.type==="keydown"))};e.addEventListener("keydown",j),e.addEventListener("keyup",j),e.addEventListener("click",()=>{O?.resume().catch(()=>{})});let l=(a,P)=>{switch(a?.type){case"audio":P?.[0]&&T.push(String(a.media_type),Array.isArray(a.sizes)?a.sizes:[],P[0]);break;case"audio_end":T.end();break;case"flush":T.flush(),A();break;case"stop":B(!1),T.stop(),A();break}};function A(){let a=T.increments();a&&t.send({type:"playback",...a})}let ft=setInterval(A,vt),nt=()=>{E=null,x()};return t.on("msg:custom",l),t.on("change:state",x),t.on("change:rate",x),t.on("change:muted",nt),t.on("change:push_to_talk",x),x(),()=>{clearInterval(ft),t.off("msg:custom",l),t.off("change:state",x),t.off("change:rate",x),t.off("change:muted",nt),t.off("change:push_to_talk",x),T.stop(),w?.stop(),O?.close().catch(()=>{})}}};export{Kt as default,Mt as micMessage};
